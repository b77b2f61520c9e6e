import { str } from '../input.js';
import type { CommandSpec } from '../types.js';

export const locksList: CommandSpec = {
  path: ['locks', 'list'],
  summary: 'List held locks (and queued waiters) on every lock backend of the profile',
  args: [],
  options: [{ name: 'prefix', value: 'p', summary: 'only lock names starting with this' }],
  examples: ['opsdeck locks list', 'opsdeck locks list --prefix billing/ -o json'],
  mutates: false,
  async run(ctx, input) {
    const backends = await ctx.session.locks();
    const views = await Promise.all(backends.map((b) => b.list(str(input, 'prefix') ?? '')));
    return views.flat();
  },
};
