import { OpsError } from '../../core/errors.js';
import type { ThanosParams } from '../../core/metrics.js';
import { parseThanosOptions } from './thanos-options.js';

export interface PromOptions {
  url: string;
  /** Extra request headers (tenant ids, proxies); values may come from ${ENV}. */
  headers: Record<string, string>;
  timeoutMs: number;
  /** Answers bigger than this are refused instead of filling memory. */
  maxResponseBytes: number;
  name: string;
  /** `thanos` when the profile says so; `prometheus` profiles detect Thanos via /api/v1/stores. */
  type: 'prometheus' | 'thanos';
  /** The profile's Thanos knobs, sent with every query once the server is known to be Thanos. */
  thanos: ThanosParams;
}

export function parsePromOptions(o: Record<string, unknown>, name: string, type = 'prometheus'): PromOptions {
  if (typeof o.url !== 'string' || !/^https?:\/\//.test(o.url)) {
    throw new OpsError('config', 'metrics: give "url: http://prometheus:9090"', 'the base URL of the Prometheus (or Thanos Query) server');
  }
  // user:password@ in the URL is not sent by undici, and the URL is in every error message: move it
  // into the Authorization header and keep it out of the URL (basicAuth/bearerToken still win).
  let url = o.url;
  let fromUrl: string | undefined;
  try {
    const u = new URL(o.url);
    if (u.username !== '' || u.password !== '') {
      fromUrl = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
      url = u.toString();
    }
  } catch {
    throw new OpsError('config', 'metrics: url is not a valid URL', 'for example url: http://prometheus:9090');
  }
  const headers: Record<string, string> = fromUrl === undefined ? {} : { authorization: fromUrl };
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null) throw new OpsError('config', 'metrics: headers must be a mapping', 'for example headers: {X-Scope-OrgID: team-a}');
    for (const [k, v] of Object.entries(o.headers)) headers[k] = String(v);
  }
  if (typeof o.bearerToken === 'string') headers.authorization = `Bearer ${o.bearerToken}`;
  const basic = o.basicAuth as { username?: unknown; password?: unknown } | undefined;
  if (basic && typeof basic.username === 'string') {
    headers.authorization = `Basic ${Buffer.from(`${basic.username}:${String(basic.password ?? '')}`).toString('base64')}`;
  }
  const n = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? v : d);
  return {
    url: url.replace(/\/+$/, ''),
    headers,
    timeoutMs: n(o.timeoutMs, 30_000),
    maxResponseBytes: n(o.maxResponseBytes, 64 * 1024 * 1024),
    name,
    type: type === 'thanos' ? 'thanos' : 'prometheus',
    thanos: parseThanosOptions(o),
  };
}
