import { OpsError } from '../../core/errors.js';
import type { MetricsAnswer, MetricsBackend, QueryData, RangeQuery } from '../../core/metrics.js';
import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { parsePromOptions } from './options.js';
import { promCall } from './prom-http.js';
import { thanosSupport } from './thanos.js';

type Params = Array<[string, string]>;

/** The Prometheus adapter; Thanos Query (type thanos, or detected) adds its knobs and /stores. */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parsePromOptions(options, ctx.name, ctx.type);
  const call = <T>(path: string, params: Params = [], signal?: AbortSignal) => promCall<T>(o, path, params, signal);
  const thanos = thanosSupport(o, call);
  const opt = (key: string, v: number | undefined): Params => (v === undefined ? [] : [[key, String(v)]]);
  const metrics: MetricsBackend = {
    name: o.name,
    query: async (expr, time, t) => withWarnings(checkQueryData(await call<QueryData>('query', [['query', expr], ...opt('time', time), ...(await thanos.params('query', t))]), o.url)),
    queryRange: async (q: RangeQuery, t, signal) =>
      withWarnings(checkQueryData(await call<QueryData>('query_range', [['query', q.expr], ['start', String(q.start)], ['end', String(q.end)], ['step', String(q.step)], ...(await thanos.params('query', t))], signal), o.url)),
    targets: () => call('targets'),
    alerts: () => call('alerts'),
    rules: () => call('rules'),
    labels: async (name) => call<string[]>(name === undefined ? 'labels' : `label/${encodeURIComponent(name)}/values`, await thanos.params('labels')),
    series: async (matchers, start, end) => call('series', [...matchers.map((m): [string, string] => ['match[]', m]), ...opt('start', start), ...opt('end', end), ...(await thanos.params('series'))]),
    metadata: (metric) => call('metadata', metric === undefined ? [] : [['metric', metric]]),
    stores: () => thanos.stores(),
  };
  return {
    type: o.type,
    metrics,
    async ping() {
      const info = await call<{ version?: string }>('status/buildinfo');
      return { version: info.data.version ?? null };
    },
    async dispose() {
      // undici's global pool closes idle sockets by itself.
    },
  };
}

/**
 * Refuses query data that is not the shape the API documents (a proxy or a broken server answering
 * `status: success`), so tables, charts and the pane get a clear backend error instead of crashing
 * on a null result or metric. Series may carry native `histogram(s)` instead of float samples.
 */
function checkQueryData(a: MetricsAnswer<QueryData>, url: string): MetricsAnswer<QueryData> {
  const d = a.data as unknown as Record<string, unknown> | null | undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  let problem: string | null = null;
  if (!isObj(d)) problem = 'no data object';
  else if (d.resultType === 'scalar' || d.resultType === 'string') {
    if (!Array.isArray(d.result) || d.result.length !== 2) problem = `a ${d.resultType} result that is not [time, value]`;
  } else if (d.resultType === 'vector' || d.resultType === 'matrix') {
    const [one, many] = d.resultType === 'vector' ? ['value', 'histogram'] : ['values', 'histograms'];
    if (!Array.isArray(d.result)) problem = `a ${d.resultType} result that is not a list`;
    else if (!d.result.every((r) => isObj(r) && isObj(r.metric) && (Array.isArray(r[one]) || Array.isArray(r[many])))) problem = `a ${d.resultType} entry without metric labels or ${one}`;
  } else problem = `resultType ${JSON.stringify(d.resultType)}`;
  if (problem === null) return a;
  throw new OpsError('backend', `${url} answered the query with ${problem}, not the Prometheus API's data`, 'check that the URL points at Prometheus or Thanos Query, not a proxy or another service');
}

/**
 * Copies the envelope's warnings into the query data, so -o json carries them next to the result
 * (Thanos' own query data has a warnings field); Thanos partial responses must never look complete.
 */
function withWarnings(a: MetricsAnswer<QueryData>): MetricsAnswer<QueryData> {
  if (typeof a.data !== 'object' || a.data === null) return a;
  const all = [...new Set([...(Array.isArray(a.data.warnings) ? a.data.warnings : []), ...a.warnings])];
  return all.length === 0 ? a : { data: { ...a.data, warnings: all }, warnings: all };
}
