import type { CacheDetail, CacheFleet, CacheHistory, CacheRow } from '../core/cache-fleet.js';
import { formatBytes, percent } from './cache-views.js';
import { renderChart } from './chart/render-chart.js';
import type { Style } from './style.js';
import { textTable, type Column } from './text-table.js';

/**
 * The fleet cache view's columns, written once: `cache list` and `cache show` print them, and the
 * console's caches pane takes its header and cells from the same definitions.
 */
export const CACHE_COLUMNS: ReadonlyArray<Column<CacheRow>> = [
  { header: 'CACHE', get: (r) => r.cache, paint: (c, _r, s) => s.cyan(c) },
  { header: 'KIND', get: (r) => r.kind },
  { header: 'INSTANCE', get: (r) => r.instance || '-' },
  { header: 'HIT%', get: (r) => percent(r.hitRatio), align: 'right', paint: (c, r, s) => (r.flags.some((f) => f.kind === 'hit-ratio-drop') ? s.red(c) : c) },
  { header: 'BEFORE', get: (r) => percent(r.baselineHitRatio), align: 'right' },
  { header: 'REQ/S', get: (r) => perSec(r.requestsPerSec), align: 'right' },
  { header: 'EVICT/S', get: (r) => perSec(r.evictionsPerSec), align: 'right' },
  { header: 'SIZE/BOUND', get: (r) => sizeCell(r), align: 'right', paint: (c, r, s) => (r.fill !== null && r.fill >= 0.9 ? s.yellow(c) : c) },
  { header: 'PEERS', get: (r) => (r.peerShare === null ? '-' : percent(r.peerShare)), align: 'right' },
  { header: 'FLAGS', get: (r) => (r.flags.length === 0 ? '-' : r.flags.map((f) => f.kind).join(',')), paint: (c, r, s) => (r.flags.length > 0 ? s.red(c) : s.dim(c)) },
];

export function perSec(x: number | null): string {
  if (x === null) return '-';
  if (x === 0) return '0';
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2);
}

/** `812 / 1000 (81%)`, in bytes for memory-bounded caches; the size alone where the bound is unknown. */
export function sizeCell(r: Pick<CacheRow, 'size' | 'bound' | 'sizeUnit' | 'fill'>): string {
  const v = (n: number) => (r.sizeUnit === 'bytes' ? formatBytes(n) : Math.round(n).toLocaleString('en-US'));
  if (r.size === null) return r.bound === null ? '-' : `? / ${v(r.bound)}`;
  if (r.bound === null) return v(r.size);
  return `${v(r.size)} / ${v(r.bound)} (${Math.round((r.fill ?? 0) * 100)}%)`;
}

/** `cache list`: the table, one line per flag below it, and the window. */
export function cacheFleetView(d: CacheFleet, style: Style): string {
  const flagLines = d.caches.flatMap((r) => r.flags.map((f) => `${style.red('⚑')} ${r.cache}${r.instance ? ` @ ${r.instance}` : ''}: ${f.message}`));
  const failed = d.backends.filter((b) => b.error !== null).map((b) => style.red(`${b.subsystem} backend ${b.backend} not read: ${b.error}`));
  const footer = style.dim(`${d.caches.length} ${d.caches.length === 1 ? 'row' : 'rows'} · rates over ${d.window} (Redis: its sample) · BEFORE is the hour before (Redis: since start)`);
  return [textTable(d.caches, CACHE_COLUMNS, style), ...flagLines, ...failed, footer].join('\n');
}

/** `cache show`: the fleet lines, then per instance its charts over the range. */
export function cacheDetailView(d: CacheDetail, style: Style, _now: number, width = 100): string {
  const out = [cacheFleetView(d, style)];
  for (const h of d.history) out.push('', style.bold(`${d.cache} @ ${h.instance || '-'} (${h.source})`), ...historyCharts(h, style, width, 8));
  for (const n of d.notes) out.push(style.dim(n));
  return out.join('\n');
}

/** The three charts of one instance's history: hit ratio (%), lookups/s and evictions/s. */
export function historyCharts(h: CacheHistory, style: Style, width: number, height: number): string[] {
  const chart = (label: string, points: CacheHistory['hitRatio'], unit = '') => renderChart([{ label, points }], { width, height, style, unit }).split('\n');
  return [
    ...chart('hit ratio %', h.hitRatio.map(([t, v]) => [t, v === null ? null : v * 100]), '%'),
    ...chart('lookups/s', h.requestsPerSec),
    ...(h.evictionsPerSec.length > 0 ? chart('evictions/s', h.evictionsPerSec) : []),
  ];
}
