import type { CacheKey, CacheSample, CacheStats } from '../core/cache.js';
import { formatDuration } from '../core/duration.js';
import type { Style } from './style.js';
import { textTable, type Column } from './text-table.js';

/** `cache stats` as aligned "label  value" lines; "-" wherever the server did not say. */
export function cacheStatsView(s: CacheStats, style: Style): string {
  const n = (v: number | null) => (v === null ? '-' : v.toLocaleString('en-US'));
  const max = s.maxMemoryBytes === null ? '-' : s.maxMemoryBytes === 0 ? 'no limit' : formatBytes(s.maxMemoryBytes);
  const lines: Array<[string, string]> = [
    ['backend', `${s.backend}${s.version ? style.dim(` (redis ${s.version})`) : ''}`],
    ['hit ratio', `${percent(s.hitRatio)} ${style.dim(`(${n(s.hits)} hits, ${n(s.misses)} misses)`)}`],
    ['ops/s', n(s.opsPerSec)],
    ['memory', `used ${bytesOrDash(s.usedMemoryBytes)} · peak ${bytesOrDash(s.peakMemoryBytes)} · max ${max}`],
    ['eviction', s.evictionPolicy ?? '-'],
    ['evicted keys', n(s.evictedKeys)],
    ['expired keys', n(s.expiredKeys)],
    ['keys', n(s.keys)],
  ];
  const w = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, value]) => `${style.dim(label.padEnd(w))}  ${value}`).join('\n');
}

/** A key table with the columns a command reports, then one line saying how much was scanned. */
export function cacheSampleView(extra: 'none' | 'frequency' | 'size') {
  return (d: CacheSample, style: Style): string => {
    const columns: Column<CacheKey>[] = [{ header: 'KEY', get: (r) => r.key, paint: (c, _r, s) => s.cyan(c) }, { header: 'TYPE', get: (r) => r.type }];
    if (extra === 'frequency') columns.push({ header: 'FREQ', get: (r) => cellNum(r.frequency), align: 'right' });
    columns.push({ header: 'MEMORY', get: (r) => bytesOrDash(r.memoryBytes), align: 'right' });
    if (extra === 'size') columns.push({ header: 'SIZE', get: (r) => cellNum(r.size), align: 'right' });
    columns.push({ header: 'TTL', get: (r) => (r.ttlMs === null ? 'none' : formatDuration(r.ttlMs)), align: 'right' });
    return `${textTable(d.keys, columns, style)}\n${style.dim(scanLine(d))}`;
  };
}

function scanLine(d: CacheSample): string {
  const scanned = d.scanned === null ? '' : `, ${d.scanned.toLocaleString('en-US')} scanned`;
  const how =
    d.stoppedBy === 'done' ? 'scan complete'
    : d.stoppedBy === 'limit' ? 'stopped at --limit (scan incomplete)'
    : d.stoppedBy === 'time' ? 'stopped at --time (scan incomplete; raise --time to see more)'
    : 'scan coverage unknown';
  return `${d.keys.length} ${d.keys.length === 1 ? 'key' : 'keys'}${scanned} · ${how}`;
}

function cellNum(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : v.toLocaleString('en-US');
}

function bytesOrDash(v: number | null): string {
  return v === null ? '-' : formatBytes(v);
}

/** 1536 → "1.5 KiB": binary units, as Redis counts memory. */
/** A ratio (0..1) as `81.2%`; "-" where the server did not say. */
export function percent(x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(1)}%`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
