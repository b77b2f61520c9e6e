import type { BenchComparison } from '../commands/bench/bench-compare.js';
import type { FigureDiff } from '../loadgen/compare-results.js';
import { totalLoadErrors } from '../loadgen/load-errors.js';
import type { LoadResult, TargetResult } from '../loadgen/load-types.js';
import { SNAPSHOT_PERCENTILES } from '../loadgen/snapshot-percentiles.js';
import type { Style } from './style.js';
import { formatBytes } from './cache-views.js';
import { textTable } from './text-table.js';

/** The percentiles the summary lists, in order: the ones every snapshot carries, as its keys. */
const SUMMARY_PERCENTILES = SNAPSHOT_PERCENTILES.map(String);

/** Microseconds as wrk prints latency: 812.00us, 1.21ms, 2.30s. */
export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return '-';
  if (us < 1000) return `${us.toFixed(2)}us`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(2)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

const statusText = (s: Record<string, number>) =>
  Object.entries(s)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(' · ') || '-';

/**
 * wrk's summary, plus what wrk leaves out: the whole latency distribution to p99.999, the status
 * codes, a row per target for `bench service` (the slowest p99 painted, so it stands out), and
 * whether latency counts from intended send times (the coordinated-omission correction).
 */
export function loadResultView(r: LoadResult, style: Style): string {
  const secs = r.elapsedMs / 1000;
  const l = r.latency;
  const lines: string[] = [];
  const where = r.perTarget.length === 1 ? r.perTarget[0]!.url : `${r.perTarget.length} targets`;
  lines.push(style.bold(`${r.plan.method} ${where}`) + style.dim(` · ${secs.toFixed(2)}s · ${r.plan.workers} ${r.plan.workers === 1 ? 'thread' : 'threads'} · ${r.plan.connections} ${r.plan.connections === 1 ? 'connection' : 'connections'} · ${r.plan.keepAlive ? 'keep-alive' : 'no keep-alive'}${r.plan.pipelining > 1 ? ` · pipelining ${r.plan.pipelining}` : ''}${r.rate !== null ? ` · --rate ${r.rate}` : ''}`));
  if (r.interrupted) lines.push(style.yellow(`interrupted after ${secs.toFixed(2)}s: what was measured until then`));
  lines.push(`  Latency   mean ${formatMicros(l.mean)}   stdev ${formatMicros(l.stddev)}   min ${formatMicros(l.min)}   max ${formatMicros(l.max)}`);
  lines.push('  Latency distribution');
  for (const p of SUMMARY_PERCENTILES) {
    const v = l.percentiles[p];
    if (v !== undefined) lines.push(`  ${`${p}%`.padStart(9)}  ${formatMicros(v).padStart(10)}`);
  }
  lines.push(`  ${r.requests} requests in ${secs.toFixed(2)}s, ${formatBytes(r.bytes)} read`);
  lines.push(`Requests/sec: ${r.requestsPerSec.toFixed(2).padStart(12)}`);
  lines.push(`Transfer/sec: ${(formatBytes(secs > 0 ? r.bytes / secs : 0)).padStart(12)}`);
  lines.push(`Status:       ${statusText(r.statuses)}`);
  const e = r.errors;
  const errLine = `Socket errors: connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}, other ${e.other}`;
  lines.push(totalLoadErrors(e) > 0 ? style.red(errLine) : errLine);
  if (r.perTarget.length > 1) lines.push('', targetTable(r, style));
  lines.push(style.dim(latencyNote(r)));
  return lines.join('\n');
}

function latencyNote(r: LoadResult): string {
  if (r.correctedForCoordinatedOmission) return `latency counts from each request's intended send time at ${r.rate} req/s (coordinated-omission correction, as wrk2 -R)`;
  if (r.rate !== null) return `paced at ${r.rate} req/s; latency counts from actual send times`;
  return 'latency counts from actual send times: a stalled server delays the sending too (coordinated omission); give --rate for the corrected figure';
}

/**
 * The slow target, painted red: the one whose typical latency (p50) is well above the others'
 * (1.5x their median), else the one whose p99 is. p50 first because an instance that is slow on
 * every request shows there steadily, while p99 of a short run on a busy machine is mostly
 * scheduling noise that can hide it.
 */
function slowest(rows: readonly TargetResult[]): TargetResult | null {
  const withData = rows.filter((t) => t.latency.count > 0);
  if (withData.length < 2) return null;
  const standsOut = (figure: (t: TargetResult) => number): TargetResult | null => {
    const sorted = [...withData].sort((a, b) => figure(a) - figure(b));
    const top = sorted[sorted.length - 1]!;
    const others = sorted.slice(0, -1).map(figure);
    return figure(top) > others[Math.floor(others.length / 2)]! * 1.5 ? top : null;
  };
  return standsOut((t) => t.latency.percentiles['50'] ?? t.latency.mean) ?? standsOut((t) => t.latency.percentiles['99'] ?? t.latency.max);
}

function targetTable(r: LoadResult, style: Style): string {
  const slow = slowest(r.perTarget);
  const secs = r.elapsedMs / 1000;
  const pct = (t: TargetResult, p: string) => formatMicros(t.latency.percentiles[p] ?? NaN);
  const table = textTable(r.perTarget, [
    { header: 'TARGET', get: (t) => t.label, paint: (c, t, s) => (t === slow ? s.red(c) : c) },
    { header: 'ADDRESS', get: (t) => new URL(t.url).host },
    { header: 'REQUESTS', get: (t) => String(t.requests), align: 'right' },
    { header: 'REQ/S', get: (t) => (secs > 0 ? (t.requests / secs).toFixed(1) : '-'), align: 'right' },
    { header: 'P50', get: (t) => pct(t, '50'), align: 'right' },
    { header: 'P99', get: (t) => pct(t, '99'), align: 'right', paint: (c, t, s) => (t === slow ? s.red(c) : c) },
    { header: 'MAX', get: (t) => formatMicros(t.latency.max), align: 'right' },
    { header: 'ERRORS', get: (t) => String(totalLoadErrors(t.errors)), align: 'right', paint: (c, t, s) => (totalLoadErrors(t.errors) > 0 ? s.red(c) : c) },
    { header: 'STATUS', get: (t) => statusText(t.statuses) },
  ], style, 80);
  return slow ? `${table}\n${style.red(`slowest: ${slow.label} (p50 ${pct(slow, '50')}, p99 ${pct(slow, '99')})`)}` : table;
}

/** "+12.3%" / "-4.0%" of B against A; "-" when A is zero. */
function change(d: FigureDiff): string {
  if (d.ratio === null) return '-';
  const pct = (d.ratio - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/**
 * `bench compare`: each percentile of A and B and the change, then req/s, requests, errors and
 * the mean. Latency up is painted red and down green; for req/s it is the other way round.
 */
export function comparisonView(c: BenchComparison, style: Style): string {
  const paint = (higherIsWorse: boolean) => (cell: string, d: FigureDiff, s: Style) => (d.ratio === null || Math.abs(d.ratio - 1) < 0.05 ? cell : (d.ratio > 1) === higherIsWorse ? s.red(cell) : s.green(cell));
  type Row = { name: string; d: FigureDiff; show: (n: number) => string; higherIsWorse: boolean };
  const rows: Row[] = [
    ...c.latency.map((p) => ({ name: p.percentile === '100' ? 'max' : `p${p.percentile}`, d: p, show: formatMicros, higherIsWorse: true })),
    { name: 'mean', d: c.mean, show: formatMicros, higherIsWorse: true },
    { name: 'req/s', d: c.requestsPerSec, show: (n: number) => n.toFixed(1), higherIsWorse: false },
    { name: 'requests', d: c.requests, show: String, higherIsWorse: false },
    { name: 'errors', d: c.errors, show: String, higherIsWorse: true },
  ];
  const table = textTable(rows, [
    { header: '', get: (r) => r.name },
    { header: 'A', get: (r) => r.show(r.d.a), align: 'right' },
    { header: 'B', get: (r) => r.show(r.d.b), align: 'right' },
    { header: 'CHANGE', get: (r) => change(r.d), align: 'right', paint: (cell, r, s) => paint(r.higherIsWorse)(cell, r.d, s) },
  ], style);
  const head = style.dim(`A: ${c.a}  B: ${c.b}`);
  return [head, table, ...c.caveats.map((x) => style.yellow(`note: ${x}`))].join('\n');
}
