import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { TIME_OPTION, limitOption, sample } from './sample.js';

export const cacheHotkeys = defineCommand({
  path: ['cache', 'hotkeys'],
  summary: 'Most frequently used keys found in a bounded scan (needs an LFU eviction policy)',
  args: {},
  options: { limit: limitOption(10, 'how many keys to show'), time: TIME_OPTION },
  examples: ['opsdeck cache hotkeys', 'opsdeck cache hotkeys --limit 20 -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const cache = requireCapability(await ctx.session.cache(), 'hotKeys', 'find hot keys');
    return sample(ctx, opts, (o) => cache.hotKeys(o));
  },
});
