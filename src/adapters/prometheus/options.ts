import type { ThanosParams } from '../../core/metrics.js';
import { bool, custom, defineOptions, duration, fail, fields, int, str, strList, strMap, urlWithAuth } from '../kit/options.js';
import { RESOLUTION, RESOLUTION_HINT } from './thanos-options.js';

const LABEL_NAME = { re: /^[a-zA-Z_][a-zA-Z0-9_]*$/, what: 'a Prometheus label name' };

/** The options of a `{type: prometheus}` or `{type: thanos}` entry. Loads no client library. */
export const PROM_OPTIONS = defineOptions(
  { type: 'prometheus', readme: 'Metrics' },
  {
    /** The base URL; a `user:password@` in it is sent as basic auth and kept out of messages. */
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://prometheus:9090', hint: 'the base URL of the Prometheus (or Thanos Query) server' }),
    /** Extra request headers (tenant ids, proxies); values may come from ${ENV}. */
    headers: strMap({ hint: 'for example headers: {X-Scope-OrgID: team-a}' }),
    bearerToken: str({ nonEmpty: true }),
    basicAuth: fields({ username: str({ required: 'basicAuth: {username: ops, password: ${PROM_PASSWORD}}' }), password: str({ default: '' }) }),
    timeoutMs: duration({ bareMs: true, default: 30_000 }),
    /** Answers bigger than this are refused instead of filling memory. */
    maxResponseBytes: int({ min: 1024, default: 64 * 1024 * 1024 }),
    // Thanos knobs, sent with every query once the server is known to be Thanos Query.
    dedup: bool({ hint: 'for example dedup: false' }),
    partialResponse: bool({ hint: 'for example partialResponse: false' }),
    replicaLabels: strList({ nonEmpty: true, item: LABEL_NAME, hint: 'for example replicaLabels: [replica, prometheus_replica]' }),
    maxSourceResolution: custom(
      'auto or a duration such as 0s, 5m or 1h',
      (v, c) => {
        if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return `${v}s`;
        if (typeof v === 'string' && RESOLUTION.test(v.trim())) return v.trim();
        return fail(c, `maxSourceResolution must be auto or a duration such as 0s, 5m or 1h, not ${JSON.stringify(v)}`, RESOLUTION_HINT);
      },
    ),
    // Console-only keys (the services → metrics cross-view); the adapter ignores them.
    serviceLabel: str({ pattern: LABEL_NAME, hint: 'for example serviceLabel: app' }),
    serviceQueries: strList({ nonEmpty: true, hint: 'for example serviceQueries: [\'up{job="{service}"}\'] ({service} is replaced by the service name)' }),
    // `services drift` keys (docs/drift.md): how an up series names its service and address; the adapter ignores them.
    drift: fields(
      {
        serviceLabel: str({ pattern: LABEL_NAME, hint: 'for example drift: {serviceLabel: job}' }),
        instanceLabel: str({ pattern: LABEL_NAME, hint: 'for example drift: {instanceLabel: instance}' }),
        upQuery: str({ nonEmpty: true, hint: 'for example drift: {upQuery: \'up{job!="prometheus"}\'}' }),
      },
      { hint: 'for example drift: {serviceLabel: job, instanceLabel: instance, upQuery: up}' },
    ),
  },
  (o, x) => {
    if (o.basicAuth !== undefined && o.bearerToken !== undefined) x.fail('bearerToken', 'give basicAuth or bearerToken, not both', 'the server takes one Authorization header');
    // Credentials in the URL are basic auth; basicAuth or bearerToken, being explicit, win over them.
    const headers: Record<string, string> = { ...o.headers };
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    if (o.url.username !== undefined) headers.authorization = basic(o.url.username, o.url.password ?? '');
    if (o.bearerToken !== undefined) headers.authorization = `Bearer ${o.bearerToken}`;
    if (o.basicAuth !== undefined) headers.authorization = basic(o.basicAuth.username, o.basicAuth.password);
    const thanos: ThanosParams = {};
    if (o.dedup !== undefined) thanos.dedup = o.dedup;
    if (o.partialResponse !== undefined) thanos.partialResponse = o.partialResponse;
    if (o.replicaLabels !== undefined) thanos.replicaLabels = o.replicaLabels;
    if (o.maxSourceResolution !== undefined) thanos.maxSourceResolution = o.maxSourceResolution;
    return {
      url: o.url.url,
      headers,
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      /** `thanos` when the profile says so; `prometheus` profiles detect Thanos via /api/v1/stores. */
      type: x.type === 'thanos' ? ('thanos' as const) : ('prometheus' as const),
      thanos,
    };
  },
);

/** A metrics entry, validated, with the backend column name. */
export type PromOptions = ReturnType<typeof PROM_OPTIONS.read> & { name: string };

export function parsePromOptions(o: Record<string, unknown>, name: string, type = 'prometheus'): PromOptions {
  return { ...PROM_OPTIONS.read(o, { type }), name };
}
