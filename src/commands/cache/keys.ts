import type { CacheSample } from '../../core/cache.js';
import { req } from '../input.js';
import type { CommandSpec } from '../types.js';
import { TIME_OPTION, limitOption, sample } from './sample.js';

export const cacheKeys: CommandSpec = {
  path: ['cache', 'keys'],
  summary: 'Sample keys matching a glob pattern (SCAN, never KEYS) with type, TTL and memory',
  args: [{ name: 'pattern', summary: 'glob pattern, for example "session:*" (quote it in a shell)', required: true }],
  options: [limitOption(100, 'stop after this many keys'), TIME_OPTION],
  examples: ["opsdeck cache keys 'session:*'", "opsdeck cache keys 'user:*' --limit 20 --time 2s -o json"],
  mutates: false,
  async run(ctx, input): Promise<{ pattern: string } & CacheSample> {
    const pattern = req(input, 'pattern');
    const cache = await ctx.session.cache();
    return { pattern, ...(await sample(ctx, input, 100, (o) => cache.keys(pattern, o))) };
  },
};
