import type { CacheStats } from '../../core/cache.js';

/** What one master told us; every fact is null where the server did not say (or was not asked). */
export interface NodeFacts {
  fields: Map<string, string>;
  policy: string | null;
  maxMemory: number | null;
  keys: number | null;
}

/**
 * One CacheStats over the masters (one, or every master of a cluster). Counters add up; a total
 * with any node unknown is unknown rather than a partial sum that looks complete.
 */
export function combineStats(backend: string, nodes: readonly NodeFacts[]): CacheStats {
  const field = (name: string) => sum(nodes.map((n) => num(n.fields.get(name))));
  const hits = field('keyspace_hits');
  const misses = field('keyspace_misses');
  const maxes = nodes.map((n) => n.maxMemory);
  return {
    backend,
    version: distinct(nodes.map((n) => n.fields.get('redis_version') ?? null)),
    // No lookups yet means no ratio, not a ratio of 0.
    hitRatio: hits !== null && misses !== null && hits + misses > 0 ? hits / (hits + misses) : null,
    hits,
    misses,
    opsPerSec: field('instantaneous_ops_per_sec'),
    usedMemoryBytes: field('used_memory'),
    // Peaks of different nodes happened at different times, so their sum was never the cluster's peak.
    peakMemoryBytes: nodes.length === 1 ? num(nodes[0]!.fields.get('used_memory_peak')) : null,
    // 0 is Redis for "no limit"; one unlimited master makes the whole cluster unlimited.
    maxMemoryBytes: maxes.includes(0) ? 0 : sum(maxes),
    evictionPolicy: distinct(nodes.map((n) => n.policy)),
    evictedKeys: field('evicted_keys'),
    expiredKeys: field('expired_keys'),
    keys: sum(nodes.map((n) => n.keys)),
  };
}

function num(v: string | undefined): number | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function sum(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0);
}

/** The one value every node agrees on; masters that disagree are listed, comma-separated. */
function distinct(values: Array<string | null>): string | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return [...new Set(values as string[])].join(',');
}
