import type { QueryData } from '../core/metrics.js';
import type { SeriesSource } from '../core/series-source.js';
import { typeOf } from './ast.js';
import { promqlError } from './errors.js';
import { Evaluator, type EvalOptions } from './evaluator.js';
import { apiTime, formatValue } from './format.js';
import { compareMetrics, type Metric } from './labels.js';
import { parsePromql } from './parse-promql.js';

export type { EvalOptions } from './evaluator.js';

/**
 * PromQL over a SeriesSource, answering exactly what Prometheus' HTTP API puts in `data`:
 * `{resultType, result}` with values as strings. Pure: no I/O beyond the source's reads.
 * Errors are PromqlError (the query's fault) or NotSupportedError (`not supported yet: …`).
 */
export function evaluateInstant(expr: string, timeMs: number, source: SeriesSource, opts?: EvalOptions): QueryData {
  return guardDepth(() => instant(expr, timeMs, source, opts));
}

export function evaluateRange(expr: string, startMs: number, endMs: number, stepMs: number, source: SeriesSource, opts?: EvalOptions): QueryData {
  return guardDepth(() => range(expr, startMs, endMs, stepMs, source, opts));
}

/** Parsing and evaluation recurse over the tree; a pathologically deep one must fail as a query error, not a crash. */
function guardDepth(f: () => QueryData): QueryData {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) promqlError('the expression is too deeply nested to evaluate (split it into smaller queries)');
    throw e;
  }
}

function instant(expr: string, timeMs: number, source: SeriesSource, opts?: EvalOptions): QueryData {
  const ast = parsePromql(expr);
  const ev = new Evaluator(source, timeMs, timeMs, opts);
  ev.prepare(ast);
  const v = ev.eval(ast, timeMs);
  const t = apiTime(timeMs);
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [t, formatValue(v.v)] };
    case 'string':
      return { resultType: 'string', result: [t, v.v] };
    case 'vector':
      return { resultType: 'vector', result: v.v.map((s) => ({ metric: { ...s.metric.labels }, value: [t, formatValue(s.v)] })) };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.v.map((s) => ({ metric: { ...s.metric.labels }, values: Array.from(s.t, (pt, i) => [apiTime(pt), formatValue(s.v[i]!)]) })),
      };
  }
}

function range(expr: string, startMs: number, endMs: number, stepMs: number, source: SeriesSource, opts?: EvalOptions): QueryData {
  if (!(stepMs > 0)) promqlError('zero or negative query resolution step widths are not accepted. Try a positive integer');
  if (endMs < startMs) promqlError('end timestamp must not be before start time');
  if ((endMs - startMs) / stepMs > 11_000) promqlError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  const ast = parsePromql(expr);
  const type = typeOf(ast);
  if (type !== 'vector' && type !== 'scalar') promqlError(`invalid expression type "${type === 'matrix' ? 'range vector' : type}" for range query, must be Scalar or instant Vector`);
  const ev = new Evaluator(source, startMs, endMs, opts);
  ev.prepare(ast);
  const series = new Map<string, { metric: Metric; values: Array<[number, string]> }>();
  for (let ts = startMs; ts <= endMs; ts += stepMs) {
    const v = ev.eval(ast, ts);
    if (v.type === 'scalar') {
      let s = series.get('');
      if (!s) series.set('', (s = { metric: { labels: {}, key: '' }, values: [] }));
      s.values.push([apiTime(ts), formatValue(v.v)]);
    } else if (v.type === 'vector') {
      for (const smp of v.v) {
        let s = series.get(smp.metric.key);
        if (!s) series.set(smp.metric.key, (s = { metric: smp.metric, values: [] }));
        s.values.push([apiTime(ts), formatValue(smp.v)]);
      }
    }
  }
  const result = [...series.values()].sort((a, b) => compareMetrics(a.metric, b.metric)).map((s) => ({ metric: { ...s.metric.labels }, values: s.values }));
  return { resultType: 'matrix', result };
}
