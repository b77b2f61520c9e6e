import { formatDuration } from '../core/duration.js';
import type { StoresData, StoreStatus } from '../core/metrics.js';
import { seriesName } from './metrics-views.js';
import type { Style } from './style.js';
import { textTable } from './text-table.js';

type Row = StoreStatus & { type: string };

/**
 * `metrics stores`: one row per store API endpoint, grouped by component type, with the time range
 * it serves, its external labels, and how its last health check went.
 */
export function renderStores(data: StoresData, style: Style, now: number): string {
  const rows: Row[] = Object.keys(data)
    .sort()
    .flatMap((type) => (data[type] ?? []).map((s) => ({ ...s, type })));
  const failing = rows.filter((r) => r.lastError).length;
  const counts = Object.keys(data).sort().map((t) => `${data[t]?.length ?? 0} ${t}`).join(', ');
  const summary = style.dim(`${rows.length} endpoint${rows.length === 1 ? '' : 's'}${counts ? `: ${counts}` : ''}`) + (failing > 0 ? ` ${style.red(`· ${failing} failing`)}` : '');
  const table = textTable(rows, [
    { header: 'TYPE', get: (r) => r.type, paint: (c, _r, s) => s.cyan(c) },
    { header: 'NAME', get: (r) => r.name },
    { header: 'LABELS', get: (r) => (r.labelSets ?? []).map((l) => seriesName(l)).join(' ') || '-' },
    { header: 'MIN TIME', get: (r) => storeTime(r.minTime, '-∞') },
    { header: 'MAX TIME', get: (r) => storeTime(r.maxTime, '+∞') },
    { header: 'LAST CHECK', get: (r) => lastCheck(r.lastCheck, now) },
    { header: 'ERROR', get: (r) => r.lastError ?? '-', paint: (c, r, s) => (r.lastError ? s.red(c) : c) },
  ], style, 80);
  return `${summary}\n${table}`;
}

/** Thanos uses the int64 extremes for "no bound" (a sidecar's max time is the live head). */
function storeTime(ms: number, unbounded: string): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return unbounded;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function lastCheck(iso: string, now: number): string {
  const t = Date.parse(iso);
  // Go's zero time ("0001-01-01T00:00:00Z") means the endpoint was never checked.
  if (!Number.isFinite(t) || t < 0) return 'never';
  return `${formatDuration(Math.max(0, now - t))} ago`;
}
