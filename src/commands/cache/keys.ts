import type { CacheSample } from '../../core/cache.js';
import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { TIME_OPTION, limitOption, sample } from './sample.js';

export const cacheKeys = defineCommand({
  path: ['cache', 'keys'],
  summary: 'Sample keys matching a glob pattern (SCAN, never KEYS) with type, TTL and memory',
  args: { pattern: arg({ summary: 'glob pattern, for example "session:*" (quote it in a shell)' }) },
  options: { limit: limitOption(100, 'stop after this many keys'), time: TIME_OPTION },
  examples: ["opsdeck cache keys 'session:*'", "opsdeck cache keys 'user:*' --limit 20 --time 2s -o json"],
  mutates: false,
  async run(ctx, { args, opts }): Promise<{ pattern: string } & CacheSample> {
    const cache = await ctx.session.cache();
    return { pattern: args.pattern, ...(await sample(ctx, opts, (o) => cache.keys(args.pattern, o))) };
  },
});
