import type { QueryData } from '../../src/core/metrics.js';
import { NotSupportedError, evaluateInstant, evaluateRange } from '../../src/promql/index.js';
import type { SeriesSource } from '../../src/core/series-source.js';

/**
 * Runs one query on the real Prometheus and on our evaluator and says how the answers differ
 * (undefined when they agree): labels exactly, values within 1e-9 relative, NaN and ±Inf alike,
 * series order only where Prometheus promises one.
 */
export interface Query {
  expr: string;
  kind: 'instant' | 'range';
  /** ms */
  start: number;
  end: number;
  step: number;
}

export type Outcome = { ok: true; data: QueryData } | { ok: false; error: string; unsupported: boolean };

export async function askPrometheus(url: string, q: Query): Promise<Outcome> {
  const params = new URLSearchParams({ query: q.expr });
  if (q.kind === 'instant') params.set('time', String(q.start / 1000));
  else {
    params.set('start', String(q.start / 1000));
    params.set('end', String(q.end / 1000));
    params.set('step', String(q.step / 1000));
  }
  const r = await fetch(`${url}/api/v1/${q.kind === 'instant' ? 'query' : 'query_range'}`, { method: 'POST', body: params });
  const body = (await r.json()) as { status: string; data?: QueryData; error?: string };
  return body.status === 'success' ? { ok: true, data: body.data! } : { ok: false, error: body.error ?? `HTTP ${r.status}`, unsupported: false };
}

export function askOurs(source: SeriesSource, q: Query): Outcome {
  try {
    const data = q.kind === 'instant' ? evaluateInstant(q.expr, q.start, source) : evaluateRange(q.expr, q.start, q.end, q.step, source);
    return { ok: true, data };
  } catch (e) {
    if (!(e instanceof Error) || !/^(PromqlError|NotSupportedError)$/.test(e.name)) throw e;
    return { ok: false, error: e.message, unsupported: e instanceof NotSupportedError };
  }
}

export function valuesEqual(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
  const y = Number(b.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
  if (Number.isNaN(x) || Number.isNaN(y)) return a === 'NaN' && b === 'NaN';
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

type Sample = { metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> };

const keyOf = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Top-level functions whose output order Prometheus defines (by value): sort, and topk/bottomk over one group. */
function ordered(expr: string): boolean {
  const e = expr.trim();
  if (/^(sort|sort_desc)\s*\(/.test(e)) return true;
  return /^(topk|bottomk)\s*\(/.test(e) && !/\b(by|without)\s*\(/.test(e);
}

export function diff(expr: string, prom: QueryData, ours: QueryData): string | undefined {
  if (prom.resultType !== ours.resultType) return `result type: Prometheus ${prom.resultType}, ours ${ours.resultType}`;
  if (prom.resultType === 'scalar' || prom.resultType === 'string') {
    const [pt, pv] = prom.result as [number, string];
    const [ot, ov] = ours.result as [number, string];
    if (pt !== ot) return `time: Prometheus ${pt}, ours ${ot}`;
    const same = prom.resultType === 'string' ? pv === ov : valuesEqual(pv, ov);
    return same ? undefined : `value: Prometheus ${pv}, ours ${ov}`;
  }
  const p = prom.result as Sample[];
  const o = ours.result as Sample[];
  const pk = new Map(p.map((s) => [keyOf(s.metric), s]));
  const ok = new Map(o.map((s) => [keyOf(s.metric), s]));
  const missing = [...pk.keys()].filter((k) => !ok.has(k));
  const extra = [...ok.keys()].filter((k) => !pk.has(k));
  if (missing.length || extra.length || pk.size !== p.length || ok.size !== o.length) {
    return `series differ: only Prometheus ${missing.slice(0, 3).join(' ')}; only ours ${extra.slice(0, 3).join(' ')} (counts ${p.length} vs ${o.length})`;
  }
  for (const [k, ps] of pk) {
    const os = ok.get(k)!;
    if (ps.value) {
      if (ps.value[0] !== os.value![0] || !valuesEqual(ps.value[1], os.value![1])) return `${k}: Prometheus ${JSON.stringify(ps.value)}, ours ${JSON.stringify(os.value)}`;
    } else {
      const pv = ps.values!;
      const ov = os.values ?? [];
      if (pv.length !== ov.length) return `${k}: ${pv.length} points in Prometheus, ${ov.length} ours: ${JSON.stringify(pv.slice(0, 4))} vs ${JSON.stringify(ov.slice(0, 4))}`;
      for (let i = 0; i < pv.length; i++) {
        if (pv[i]![0] !== ov[i]![0] || !valuesEqual(pv[i]![1], ov[i]![1])) return `${k} point ${i}: Prometheus ${JSON.stringify(pv[i])}, ours ${JSON.stringify(ov[i])}`;
      }
    }
  }
  if (prom.resultType === 'vector' && ordered(expr)) {
    // Ties may come in any order; the sequence of values may not.
    for (let i = 0; i < p.length; i++) {
      if (!valuesEqual(p[i]!.value![1], o[i]!.value![1])) return `order: Prometheus ${p.map((s) => s.value![1]).join(',')}, ours ${o.map((s) => s.value![1]).join(',')}`;
    }
  }
  return undefined;
}
