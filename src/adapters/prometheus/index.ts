import type { MetricsBackend, QueryData, RangeQuery } from '../../core/metrics.js';
import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { parsePromOptions } from './options.js';
import { promCall } from './prom-http.js';

/** The Prometheus adapter (Thanos Query speaks the same API; its extras come later). */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parsePromOptions(options, ctx.name);
  const call = <T>(path: string, params: Array<[string, string]> = []) => promCall<T>(o, path, params);
  const metrics: MetricsBackend = {
    name: o.name,
    query: (expr, time) => call<QueryData>('query', [['query', expr], ...(time === undefined ? [] : [['time', String(time)] as [string, string]])]),
    queryRange: (q: RangeQuery) => call<QueryData>('query_range', [['query', q.expr], ['start', String(q.start)], ['end', String(q.end)], ['step', String(q.step)]]),
    targets: () => call('targets'),
    alerts: () => call('alerts'),
    rules: () => call('rules'),
    labels: (name) => call<string[]>(name === undefined ? 'labels' : `label/${encodeURIComponent(name)}/values`),
    series: (matchers, start, end) =>
      call('series', [...matchers.map((m): [string, string] => ['match[]', m]), ...(start === undefined ? [] : [['start', String(start)] as [string, string]]), ...(end === undefined ? [] : [['end', String(end)] as [string, string]])]),
    metadata: (metric) => call('metadata', metric === undefined ? [] : [['metric', metric]]),
  };
  return {
    type: 'prometheus',
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
