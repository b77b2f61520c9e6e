import { defineCommand } from '../define-command.js';
import { listingExitCode } from '../listing.js';
import { flagOpt } from '../option-types.js';
import { FLEET_OPTIONS } from './fleet-options.js';
import { readFleet } from './fleet-read.js';

export const cacheList = defineCommand({
  path: ['cache', 'list'],
  summary: 'Every cache of the fleet, one row per cache per instance: hit ratio, lookups/s, evictions/s, size against its bound, flags',
  args: {},
  options: { ...FLEET_OPTIONS, flagged: flagOpt({ summary: 'only the rows with a flag' }) },
  examples: ['opsdeck cache list', 'opsdeck cache list --window 15m --flagged', 'opsdeck cache list -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const fleet = await readFleet(ctx.session, { windowMs: opts.window, sampleMs: opts.sample, signal: ctx.signal, warn: (m) => ctx.warn(m) });
    failedSources(ctx.warn, fleet.backends);
    return opts.flagged ? { ...fleet, caches: fleet.caches.filter((c) => c.flags.length > 0) } : fleet;
  },
  exitCode: listingExitCode,
});

/** One line per source that could not be read, so a short list never passes for the whole fleet. */
export function failedSources(warn: (m: string) => void, backends: ReadonlyArray<{ backend: string; subsystem: string; error: string | null }>): void {
  for (const b of backends) if (b.error !== null) warn(`${b.subsystem} backend ${b.backend} was not read: ${b.error}`);
}
