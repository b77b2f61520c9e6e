import type { CacheKey, CacheSample, CacheScanOptions, CacheScanSummary } from '../../core/cache.js';
import { duration, int } from '../input.js';
import type { Ctx, Input, OptionSpec } from '../types.js';

export const TIME_OPTION: OptionSpec = { name: 'time', value: 'duration', summary: 'stop scanning after this long and show what was found', default: '5s' };

export function limitOption(fallback: number, summary: string): OptionSpec {
  return { name: 'limit', value: 'n', summary, default: String(fallback) };
}

/**
 * Runs one bounded scan with --limit and --time and returns the keys with how the scan ended, so
 * a reader can tell a sample of part of the keyspace from an answer about all of it.
 */
export async function sample(ctx: Ctx, input: Input, fallbackLimit: number, scan: (o: CacheScanOptions) => Promise<CacheKey[]>): Promise<CacheSample> {
  const limit = int(input, 'limit', 1) ?? fallbackLimit;
  const timeMs = duration(input, 'time', '5s')!;
  let summary: CacheScanSummary | null = null;
  const keys = await scan({ limit, timeMs, signal: ctx.signal, onScanEnd: (s) => (summary = s) });
  const s = summary as CacheScanSummary | null;
  return { complete: s?.complete ?? null, stoppedBy: s?.stoppedBy ?? null, scanned: s?.scanned ?? null, keys };
}
