import { requireCapability } from '../capability.js';
import type { CommandSpec } from '../types.js';
import { TIME_OPTION, limitOption, sample } from './sample.js';

export const cacheBigkeys: CommandSpec = {
  path: ['cache', 'bigkeys'],
  summary: 'Largest keys by memory found in a bounded scan, with type and element count',
  args: [],
  options: [limitOption(10, 'how many keys to show'), TIME_OPTION],
  examples: ['opsdeck cache bigkeys', 'opsdeck cache bigkeys --limit 20 --time 30s -o json'],
  mutates: false,
  async run(ctx, input) {
    const cache = requireCapability(await ctx.session.cache(), 'bigKeys', 'find big keys');
    return sample(ctx, input, 10, (o) => cache.bigKeys(o));
  },
};
