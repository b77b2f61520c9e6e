import type { CacheKey, CacheSample, CacheScanOptions, CacheScanSummary } from '../../core/cache.js';
import { durationOpt, intOpt } from '../option-types.js';
import type { Ctx } from '../types.js';

/** The longest scan: a bound for an interactive look at a shared server, well inside a timer's range. */
export const TIME_OPTION = durationOpt({ summary: 'stop scanning after this long and show what was found', default: '5s', max: '1h' });

/** At most a million keys: each one is kept in memory and rendered. */
export function limitOption(fallback: number, summary: string) {
  return intOpt({ summary, default: fallback, min: 1, max: 1_000_000 });
}

/**
 * Runs one bounded scan with --limit and --time and returns the keys with how the scan ended, so
 * a reader can tell a sample of part of the keyspace from an answer about all of it.
 */
export async function sample(ctx: Ctx, bounds: { limit: number; time: number }, scan: (o: CacheScanOptions) => Promise<CacheKey[]>): Promise<CacheSample> {
  let summary: CacheScanSummary | null = null;
  const keys = await scan({ limit: bounds.limit, timeMs: bounds.time, signal: ctx.signal, onScanEnd: (s) => (summary = s) });
  const s = summary as CacheScanSummary | null;
  return { complete: s?.complete ?? null, stoppedBy: s?.stoppedBy ?? null, scanned: s?.scanned ?? null, keys };
}
