import { notFound } from '../../core/errors.js';
import { req } from '../input.js';
import type { CommandSpec } from '../types.js';

export const locksShow: CommandSpec = {
  path: ['locks', 'show'],
  summary: 'Show who holds a lock, since and until when, its token and who waits',
  args: [{ name: 'name', summary: 'lock name', required: true, complete: 'lock' }],
  options: [],
  examples: ['opsdeck locks show billing/nightly-settlement -o json'],
  mutates: false,
  async run(ctx, input) {
    const name = req(input, 'name');
    const views = await Promise.all((await ctx.session.locks()).map((b) => b.inspect(name)));
    const found = views.filter((v) => v !== null);
    if (found.length === 0) throw notFound(`lock ${name} is not held`, '"opsdeck locks list" shows the held locks');
    return found;
  },
};
