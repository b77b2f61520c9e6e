import type { CacheHistory, CachePoint, CacheRow } from './cache-fleet.js';
import { cacheFlags } from './cache-flags.js';
import type { CacheFlagRules, CacheMapping } from './cache-mapping.js';

/**
 * The PromQL a mapping needs and how its answers become rows. Pure: the command runs the queries
 * through the MetricsBackend and hands the vectors back here.
 */

/** One instant query: which field it fills, and whether over the window or the hour before it. */
export interface CacheQuery {
  field: string;
  period: 'window' | 'baseline' | 'now';
  expr: string;
}

/** Prometheus vector samples as the API returns them (`value` is [time, "number"]). */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

const COUNTERS = ['hits', 'misses', 'requests', 'evictions', 'peerLoads'] as const;
const GAUGES = ['size', 'bound'] as const;
/** What the drop rule compares a window with: the hour right before it. */
export const BASELINE_SECONDS = 3600;

/** `cache_gets_total{result="hit"}` with more matchers: `cache_gets_total{result="hit",job="api"}`. */
export function withMatchers(selector: string, matchers: ReadonlyArray<string | null>): string {
  const more = matchers.filter((m): m is string => m !== null && m.trim() !== '');
  if (more.length === 0) return selector;
  const open = selector.indexOf('{');
  if (open < 0) return `${selector}{${more.join(',')}}`;
  const inner = selector.slice(open + 1, selector.lastIndexOf('}')).trim();
  return `${selector.slice(0, open)}{${[...(inner ? [inner] : []), ...more].join(',')}}`;
}

/** A label matcher with the value quoted as PromQL reads a double-quoted string. */
export function labelIs(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

export function groupLabels(m: CacheMapping): string[] {
  return [...new Set([m.cacheLabel, m.instanceLabel, ...m.keepLabels])];
}

/** `5m` for PromQL ranges: whole seconds. */
function range(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/**
 * The instant queries of one mapping: each counter's increase over the window and over the hour
 * before it (`offset`), the gauges now, and the extra counters over the window. `only` narrows
 * every selector to one cache.
 */
export function cacheQueries(m: CacheMapping, windowSeconds: number, only?: string): CacheQuery[] {
  const by = `sum by (${groupLabels(m).join(', ')})`;
  const narrow = [m.selector, only === undefined ? null : labelIs(m.cacheLabel, only)];
  const sel = (s: string) => withMatchers(s, narrow);
  const w = range(windowSeconds);
  const out: CacheQuery[] = [];
  for (const field of COUNTERS) {
    const s = m.metrics[field];
    if (s === undefined) continue;
    out.push({ field, period: 'window', expr: `${by} (increase(${sel(s)}[${w}]))` });
    if (field === 'hits' || field === 'misses' || field === 'requests') {
      out.push({ field, period: 'baseline', expr: `${by} (increase(${sel(s)}[${range(BASELINE_SECONDS)}] offset ${w}))` });
    }
  }
  for (const field of GAUGES) {
    const s = m.metrics[field];
    if (s !== undefined) out.push({ field, period: 'now', expr: `${by} (${sel(s)})` });
  }
  for (const [name, s] of Object.entries(m.extra)) out.push({ field: `extra:${name}`, period: 'window', expr: `${by} (increase(${sel(s)}[${w}]))` });
  return out;
}

/** Range queries for one cache's charts: the lookups, hits and evictions per second over time. */
export function cacheHistoryQueries(m: CacheMapping, cache: string, windowSeconds: number): CacheQuery[] {
  const by = `sum by (${groupLabels(m).join(', ')})`;
  const sel = (s: string) => withMatchers(s, [m.selector, labelIs(m.cacheLabel, cache)]);
  const w = range(windowSeconds);
  const fields = (['hits', 'misses', 'requests', 'evictions'] as const).filter((f) => m.metrics[f] !== undefined);
  return fields.map((field) => ({ field, period: 'window', expr: `${by} (rate(${sel(m.metrics[field]!)}[${w}]))` }));
}

/** The identity of a row in the answers: its grouping labels' values. */
function keyOf(m: CacheMapping, metric: Record<string, string>): string {
  return JSON.stringify(groupLabels(m).map((l) => metric[l] ?? ''));
}

function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Hits over lookups; null with no lookups. Requests, when given, count every lookup; else hits + misses. */
export function ratioOf(hits: number | null, misses: number | null, requests: number | null): { ratio: number | null; lookups: number | null } {
  const lookups = requests ?? (hits !== null && misses !== null ? hits + misses : null);
  if (hits === null || lookups === null || lookups <= 0) return { ratio: null, lookups };
  return { ratio: Math.min(1, Math.max(0, hits / lookups)), lookups };
}

/** `puts` → `putsPerSec`. */
export function extraName(name: string): string {
  return `${name}PerSec`;
}

/**
 * The rows of one mapping from its answers (the queries of cacheQueries, in order). A row exists
 * for every cache and instance that has a hits, requests or size series; a field no series gave is null.
 * Each row carries its flags by `rules` (cache-flags.ts).
 */
export function rowsFromAnswers(
  m: CacheMapping,
  rules: CacheFlagRules,
  at: { source: string; window: string; windowSeconds: number },
  queries: readonly CacheQuery[],
  answers: ReadonlyArray<readonly VectorSample[]>,
): CacheRow[] {
  const { source, windowSeconds } = at;
  const values = new Map<string, { metric: Record<string, string>; v: Map<string, number | null> }>();
  queries.forEach((q, i) => {
    for (const s of answers[i] ?? []) {
      const k = keyOf(m, s.metric);
      let entry = values.get(k);
      if (!entry) {
        if (!(q.field === 'hits' || q.field === 'requests' || q.field === 'size')) continue;
        entry = { metric: s.metric, v: new Map() };
        values.set(k, entry);
      }
      entry.v.set(`${q.field}/${q.period}`, num(s.value?.[1]));
    }
  });
  const rows: CacheRow[] = [];
  for (const { metric, v } of values.values()) {
    const get = (field: string, period: string) => v.get(`${field}/${period}`) ?? null;
    const now = ratioOf(get('hits', 'window'), get('misses', 'window'), get('requests', 'window'));
    const before = ratioOf(get('hits', 'baseline'), get('misses', 'baseline'), get('requests', 'baseline'));
    const cache = metric[m.cacheLabel] ?? '';
    const size = get('size', 'now');
    const bound = get('bound', 'now') ?? m.bounds[cache] ?? null;
    const perSec = (x: number | null) => (x === null ? null : x / windowSeconds);
    const peerLoads = get('peerLoads', 'window');
    const row: Omit<CacheRow, 'flags'> = {
      source,
      kind: m.kind,
      cache,
      instance: metric[m.instanceLabel] ?? '',
      labels: Object.fromEntries(m.keepLabels.filter((l) => metric[l] !== undefined).map((l) => [l, metric[l]!])),
      window: at.window,
      hitRatio: now.ratio,
      baselineHitRatio: before.ratio,
      requestsPerSec: perSec(now.lookups),
      evictionsPerSec: m.metrics.evictions === undefined ? null : perSec(get('evictions', 'window') ?? 0),
      size,
      bound: bound !== null && bound > 0 ? bound : null,
      sizeUnit: m.sizeUnit,
      fill: size !== null && bound !== null && bound > 0 ? size / bound : null,
      peerShare: m.metrics.peerLoads === undefined || now.lookups === null || now.lookups <= 0 ? null : Math.min(1, (peerLoads ?? 0) / now.lookups),
      policy: null,
      extra: Object.fromEntries(Object.keys(m.extra).map((name) => [extraName(name), perSec(get(`extra:${name}`, 'window'))])),
    };
    rows.push({ ...row, flags: cacheFlags(row, rules, { window: now.lookups, baseline: before.lookups }) });
  }
  return rows.sort(byCacheThenInstance);
}

export function byCacheThenInstance(a: Pick<CacheRow, 'cache' | 'instance' | 'source'>, b: Pick<CacheRow, 'cache' | 'instance' | 'source'>): number {
  return a.cache.localeCompare(b.cache) || a.instance.localeCompare(b.instance) || a.source.localeCompare(b.source);
}

/** Prometheus matrix series as the API returns them. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/**
 * Per instance: the hit ratio, lookups/s and evictions/s at each step, from the rates of
 * cacheHistoryQueries (in order). A step with no lookups has no ratio.
 */
export function historyFromAnswers(m: CacheMapping, source: string, queries: readonly CacheQuery[], answers: ReadonlyArray<readonly MatrixSeries[]>): CacheHistory[] {
  const byKey = new Map<string, { metric: Record<string, string>; fields: Map<string, Map<number, number | null>> }>();
  queries.forEach((q, i) => {
    for (const s of answers[i] ?? []) {
      const k = keyOf(m, s.metric);
      const entry = byKey.get(k) ?? { metric: s.metric, fields: new Map() };
      byKey.set(k, entry);
      entry.fields.set(q.field, new Map(s.values.map(([t, v]) => [t, num(v)])));
    }
  });
  const out: CacheHistory[] = [];
  for (const { metric, fields } of byKey.values()) {
    const times = [...new Set([...fields.values()].flatMap((f) => [...f.keys()]))].sort((a, b) => a - b);
    const at = (field: string, t: number) => fields.get(field)?.get(t) ?? null;
    const hitRatio: CachePoint[] = [];
    const requests: CachePoint[] = [];
    const evictions: CachePoint[] = [];
    for (const t of times) {
      const r = ratioOf(at('hits', t), at('misses', t), at('requests', t));
      hitRatio.push([t, r.ratio]);
      requests.push([t, r.lookups]);
      if (m.metrics.evictions !== undefined) evictions.push([t, at('evictions', t)]);
    }
    out.push({
      source,
      instance: metric[m.instanceLabel] ?? '',
      labels: Object.fromEntries(m.keepLabels.filter((l) => metric[l] !== undefined).map((l) => [l, metric[l]!])),
      hitRatio,
      requestsPerSec: requests,
      evictionsPerSec: evictions,
    });
  }
  return out.sort((a, b) => a.instance.localeCompare(b.instance));
}

/** A window as people write it: `5m`, `1h`, `90s`. */
export function windowLabel(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${Math.round(seconds * 1000) / 1000}s`;
}
