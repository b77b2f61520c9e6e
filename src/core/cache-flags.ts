import type { CacheFlag, CacheRow } from './cache-fleet.js';
import type { CacheFlagRules } from './cache-mapping.js';

/** How many lookups the row's ratio and its baseline's were computed over. */
export interface LookupCounts {
  window: number | null;
  baseline: number | null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));

/**
 * The flags of one row, by the rules (thresholds from the profile's `caches.flags`):
 * - hit-ratio-drop: the window's ratio is at least `ratioDrop` below the baseline's (the hour
 *   before; Redis: since its start), with `minRequests` lookups in the window, so a quiet cache's
 *   three misses do not page anyone;
 * - evicting-at-bound: it evicts at least `evictHard` entries per lookup (or evicts with no lookups
 *   at all) while its fill is at least `atBound` (or the bound is unknown: evicting says it is full);
 * - noeviction-near-full: a Redis with maxmemory-policy noeviction whose memory is at least
 *   `nearFull` of maxmemory: writes start failing with OOM errors when it fills.
 */
export function cacheFlags(row: Omit<CacheRow, 'flags'>, rules: CacheFlagRules, counts: LookupCounts): CacheFlag[] {
  const flags: CacheFlag[] = [];
  if (
    row.hitRatio !== null &&
    row.baselineHitRatio !== null &&
    (counts.window ?? 0) >= rules.minRequests &&
    (counts.baseline ?? 0) >= rules.minRequests &&
    row.baselineHitRatio - row.hitRatio >= rules.ratioDrop
  ) {
    flags.push({ kind: 'hit-ratio-drop', message: `hit ratio ${pct(row.hitRatio)} over ${row.window}, down from ${pct(row.baselineHitRatio)} ${row.kind === 'redis' ? 'since start' : 'the hour before'}` });
  }
  const ev = row.evictionsPerSec;
  if (ev !== null && ev > 0) {
    const req = row.requestsPerSec ?? 0;
    const hard = req <= 0 || ev / req >= rules.evictHard;
    const full = row.fill === null || row.fill >= rules.atBound;
    if (hard && full) {
      const perLookup = req > 0 ? `, ${rate(ev / req)} per lookup` : ', with no lookups';
      const at = row.fill === null ? 'bound unknown' : `${pct(row.fill)} of its bound`;
      flags.push({ kind: 'evicting-at-bound', message: `evicting ${rate(ev)}/s${perLookup}, at ${at}` });
    }
  }
  if (row.policy === 'noeviction' && row.fill !== null && row.fill >= rules.nearFull) {
    flags.push({ kind: 'noeviction-near-full', message: `maxmemory-policy noeviction at ${pct(row.fill)} of maxmemory: writes fail with OOM once it is full` });
  }
  return flags;
}
