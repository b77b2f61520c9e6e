import { credentialsOf, defineOptions, duration, int, oneOf, str, urlWithAuth } from '../kit/options.js';

/** The API families opsdeck speaks to Nacos: `auto` probes the server once per adapter. */
export const NACOS_API_VERSIONS = ['auto', 'v1', 'v2', 'v3'] as const;
export type NacosApiChoice = (typeof NACOS_API_VERSIONS)[number];

/** The options of a `{type: nacos}` entry (under `registry:` or `config:`). Loads no client library. */
export const NACOS_OPTIONS = defineOptions(
  { type: 'nacos', readme: 'Nacos' },
  {
    /** The server with its context path, e.g. http://nacos:8848/nacos; credentials in it become username/password. */
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://nacos:8848/nacos', hint: 'the Nacos server with its context path, usually /nacos' }),
    username: str({ nonEmpty: true }),
    password: str(),
    /** Pin the API family instead of probing: v3 for Nacos 3.x, v2 for 2.2+, v1 for older servers. */
    apiVersion: oneOf(NACOS_API_VERSIONS, { default: 'auto', hint: 'auto probes the server; v3 for Nacos 3.x, v2 for 2.2 and later, v1 for older servers' }),
    /** Per request (connect, headers and body together); a watch's long poll adds its 30 s hold. */
    timeoutMs: duration({ bareMs: true, default: 10_000 }),
    /** Answers bigger than this are refused instead of filling memory. */
    maxResponseBytes: int({ min: 1024, default: 32 * 1024 * 1024 }),
    /** Rows per request when paging services, instances, configs and history. */
    pageSize: int({ max: 1000, default: 500, hint: 'Nacos pages hold at most 1000 rows' }),
    /** Listings stop after this many services (and say so); one page past it is never fetched. */
    maxServices: int({ default: 100_000 }),
    /** Config listings stop after this many configs (and say so). */
    maxConfigs: int({ default: 20_000 }),
    /** History entries read at most per config. */
    maxHistory: int({ default: 1000 }),
    /** Log in again this long before the token's tokenTtl runs out (at most half the TTL). */
    tokenRenewBeforeMs: duration({ bareMs: true, default: 300_000 }),
    /** How long a write waits for Nacos to show its effect (Nacos applies some writes a moment later). */
    settleTimeoutMs: duration({ bareMs: true, default: 8000 }),
    /** md5 polling interval of `config watch` on Nacos 3.x (which has no long-poll listener of its own). */
    pollIntervalMs: duration({ bareMs: true, min: 100, default: 2000 }),
  },
  (o, x) => ({ ...o, url: o.url.url, ...credentialsOf(o, x, { none: 'a server with auth off needs neither', secret: 'NACOS_PASSWORD' }) }),
);

/** A `{type: nacos}` entry, validated, with the backend column name. */
export type NacosOptions = ReturnType<typeof NACOS_OPTIONS.read> & { name: string };

export function parseNacosOptions(o: Record<string, unknown>, name: string): NacosOptions {
  return { ...NACOS_OPTIONS.read(o), name };
}
