import type { CommandSpec } from '../types.js';

export const cacheStats: CommandSpec = {
  path: ['cache', 'stats'],
  summary: 'Cache health: hit ratio, ops/s, memory used, peak and max, eviction policy, evicted and expired keys',
  args: [],
  options: [],
  examples: ['opsdeck cache stats', 'opsdeck cache stats --profile prod -o json'],
  mutates: false,
  async run(ctx) {
    return (await ctx.session.cache()).stats();
  },
};
