import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { TIME_OPTION, limitOption, sample } from './sample.js';

export const cacheBigkeys = defineCommand({
  path: ['cache', 'bigkeys'],
  summary: 'Largest keys by memory found in a bounded scan, with type and element count',
  args: {},
  options: { limit: limitOption(10, 'how many keys to show'), time: TIME_OPTION },
  examples: ['opsdeck cache bigkeys', 'opsdeck cache bigkeys --limit 20 --time 30s -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const cache = requireCapability(await ctx.session.cache(), 'bigKeys', 'find big keys');
    return sample(ctx, opts, (o) => cache.bigKeys(o));
  },
});
