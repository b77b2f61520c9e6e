import type { MetricsAnswer, MetricsBackend, QueryData, RangeQuery } from '../../core/metrics.js';
import type { Adapter } from '../../core/subsystems.js';
import type { AnswerShape } from '../kit/shape.js';
import type { AdapterContext } from '../types.js';
import { readAlerts, readBuildInfo, readLabels, readMetadata, readQueryData, readRules, readSeries, readStores, readTargets } from './answers.js';
import { parsePromOptions } from './options.js';
import { PromHttp } from './prom-http.js';
import { thanosSupport } from './thanos.js';

type Params = Array<[string, string]>;

/** The Prometheus adapter; Thanos Query (type thanos, or detected) adds its knobs and /stores. */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parsePromOptions(options, ctx.name, ctx.type);
  const http = new PromHttp(o);
  /** One endpoint, its data checked by `read` before anyone sees it. */
  const call = async <T>(path: string, params: Params, read: (s: AnswerShape, data: unknown) => T, signal?: AbortSignal): Promise<MetricsAnswer<T>> => {
    const answer = await http.call(path, params, signal);
    return { data: read(http.shape(path), answer.data), warnings: answer.warnings };
  };
  const queryData = (s: AnswerShape, data: unknown) => readQueryData(http.where, s.hint, data);
  const thanos = thanosSupport(o, (path) => call(path, [], readStores));
  const opt = (key: string, v: number | undefined): Params => (v === undefined ? [] : [[key, String(v)]]);
  const metrics: MetricsBackend = {
    name: o.name,
    query: async (expr, time, t, signal) => withWarnings(await call('query', [['query', expr], ...opt('time', time), ...(await thanos.params('query', t))], queryData, signal)),
    queryRange: async (q: RangeQuery, t, signal) =>
      withWarnings(await call('query_range', [['query', q.expr], ['start', String(q.start)], ['end', String(q.end)], ['step', String(q.step)], ...(await thanos.params('query', t))], queryData, signal)),
    targets: (signal) => call('targets', [], readTargets, signal),
    alerts: (signal) => call('alerts', [], readAlerts, signal),
    rules: (signal) => call('rules', [], readRules, signal),
    labels: async (name, signal) => call(name === undefined ? 'labels' : `label/${encodeURIComponent(name)}/values`, await thanos.params('labels'), readLabels, signal),
    series: async (matchers, start, end, signal) =>
      call('series', [...matchers.map((m): [string, string] => ['match[]', m]), ...opt('start', start), ...opt('end', end), ...(await thanos.params('series'))], readSeries, signal),
    metadata: (metric, signal) => call('metadata', metric === undefined ? [] : [['metric', metric]], readMetadata, signal),
    stores: () => thanos.stores(),
  };
  return {
    type: o.type,
    metrics,
    async ping() {
      return (await call('status/buildinfo', [], readBuildInfo)).data;
    },
    async dispose() {
      await http.close();
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
