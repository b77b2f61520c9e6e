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
    query: async (expr, time, t) => withWarnings(await call<QueryData>('query', [['query', expr], ...opt('time', time), ...(await thanos.params('query', t))])),
    queryRange: async (q: RangeQuery, t, signal) =>
      withWarnings(await call<QueryData>('query_range', [['query', q.expr], ['start', String(q.start)], ['end', String(q.end)], ['step', String(q.step)], ...(await thanos.params('query', t))], signal)),
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
 * Copies the envelope's warnings into the query data, so -o json carries them next to the result
 * (Thanos' own query data has a warnings field); Thanos partial responses must never look complete.
 */
function withWarnings(a: MetricsAnswer<QueryData>): MetricsAnswer<QueryData> {
  if (typeof a.data !== 'object' || a.data === null) return a;
  const all = [...new Set([...(Array.isArray(a.data.warnings) ? a.data.warnings : []), ...a.warnings])];
  return all.length === 0 ? a : { data: { ...a.data, warnings: all }, warnings: all };
}
