import type { CacheStats } from './cache.js';
import { cacheFlags } from './cache-flags.js';
import type { CacheRow } from './cache-fleet.js';
import type { CacheFlagRules } from './cache-mapping.js';
import { ratioOf } from './cache-queries.js';

/**
 * A Redis as a fleet row, from two INFO readings `seconds` apart: Redis keeps counters since its
 * start and no history, so the rates are over that sample, and the ratio too when the sample saw
 * lookups (else the ratio since start, and the window says so). The baseline is the ratio since start.
 */
export function redisRow(source: string, instance: string, first: CacheStats, second: CacheStats, seconds: number, sampleLabel: string, rules: CacheFlagRules): CacheRow {
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(0, b - a));
  const hits = delta(first.hits, second.hits);
  const misses = delta(first.misses, second.misses);
  const sample = ratioOf(hits, misses, null);
  const lifetime = ratioOf(second.hits, second.misses, null);
  const useSample = sample.ratio !== null;
  const evicted = delta(first.evictedKeys, second.evictedKeys);
  const expired = delta(first.expiredKeys, second.expiredKeys);
  const perSec = (x: number | null) => (x === null || seconds <= 0 ? null : x / seconds);
  // maxmemory 0 is Redis for "no limit".
  const bound = second.maxMemoryBytes !== null && second.maxMemoryBytes > 0 ? second.maxMemoryBytes : null;
  const size = second.usedMemoryBytes;
  const row: Omit<CacheRow, 'flags'> = {
    source,
    kind: 'redis',
    cache: source,
    instance,
    labels: {},
    window: useSample ? sampleLabel : 'since start',
    hitRatio: useSample ? sample.ratio : lifetime.ratio,
    baselineHitRatio: lifetime.ratio,
    requestsPerSec: perSec(sample.lookups),
    evictionsPerSec: perSec(evicted),
    size,
    bound,
    sizeUnit: 'bytes',
    fill: size !== null && bound !== null ? size / bound : null,
    peerShare: null,
    policy: second.evictionPolicy,
    extra: { expiredPerSec: perSec(expired), keys: second.keys },
  };
  // The drop is judged only on a sample with lookups, against the lifetime that includes it.
  return { ...row, flags: cacheFlags(row, rules, { window: useSample ? sample.lookups : null, baseline: lifetime.lookups }) };
}
