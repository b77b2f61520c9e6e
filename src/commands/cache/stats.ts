import { defineCommand } from '../define-command.js';

export const cacheStats = defineCommand({
  path: ['cache', 'stats'],
  summary: 'Cache health: hit ratio, ops/s, memory used, peak and max, eviction policy, evicted and expired keys',
  args: {},
  options: {},
  examples: ['opsdeck cache stats', 'opsdeck cache stats --profile prod -o json'],
  mutates: false,
  async run(ctx) {
    return (await ctx.session.cache()).stats();
  },
});
