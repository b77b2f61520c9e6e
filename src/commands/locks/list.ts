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
    const scanned = new Map<string, number>();
    try {
      const views = await Promise.all(
        backends.map((b) =>
          b.list(str(input, 'prefix') ?? '', {
            signal: ctx.signal,
            onProgress: (n) => {
              scanned.set(b.name, n);
              ctx.progress(`scanning: ${[...scanned].map(([name, k]) => `${name} ${k} keys`).join(', ')} (Ctrl-C stops)`);
            },
            onIncomplete: (why) => ctx.warn(`${b.name}: listing incomplete, ${why}; narrow it with --prefix`),
          }),
        ),
      );
      return views.flat();
    } finally {
      ctx.progress(null);
    }
  },
};
