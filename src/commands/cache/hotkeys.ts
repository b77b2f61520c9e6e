import { requireCapability } from '../capability.js';
import type { CommandSpec } from '../types.js';
import { TIME_OPTION, limitOption, sample } from './sample.js';

export const cacheHotkeys: CommandSpec = {
  path: ['cache', 'hotkeys'],
  summary: 'Most frequently used keys found in a bounded scan (needs an LFU eviction policy)',
  args: [],
  options: [limitOption(10, 'how many keys to show'), TIME_OPTION],
  examples: ['opsdeck cache hotkeys', 'opsdeck cache hotkeys --limit 20 -o json'],
  mutates: false,
  async run(ctx, input) {
    const cache = requireCapability(await ctx.session.cache(), 'hotKeys', 'find hot keys');
    return sample(ctx, input, 10, (o) => cache.hotKeys(o));
  },
};
