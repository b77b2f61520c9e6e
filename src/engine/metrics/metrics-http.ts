import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { isOpsError } from '../../core/errors.js';
import { ensureDataDir } from '../store/ensure-data-dir.js';
import type { MetricsDb } from './durable-metrics.js';
import { instantQuery, labelNames, labelValues, metadataOf, rangeQuery, seriesOf, targetsData } from './metrics-api.js';
import type { TargetHealth } from './scraper.js';

/**
 * Prometheus' HTTP API over the embedded store (`/api/v1/query`, `query_range`, `series`,
 * `labels`, `label/<name>/values`, `metadata`, `targets`, `status/buildinfo`), so the Prometheus
 * adapter, Grafana or curl can read it. It binds 127.0.0.1 unless told otherwise and wants
 * `Authorization: Bearer <token>` unless auth is turned off; the token is `OPSDECK_METRICS_TOKEN`,
 * else the file `metrics/http-token` in the data dir (created 0600 on first use).
 */

export const TOKEN_ENV = 'OPSDECK_METRICS_TOKEN';
const MAX_BODY = 1024 * 1024;

/** The API token: the environment's, else the data dir's (made on first use). */
export function apiToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv && fromEnv.trim() !== '') return fromEnv.trim();
  const dir = ensureDataDir(join(dataDir, 'metrics'));
  const file = join(dir, 'http-token');
  try {
    const t = readFileSync(file, 'utf8').trim();
    if (t !== '') return t;
  } catch {
    // Made below.
  }
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'w' });
  return token;
}

export interface ServeOptions {
  host: string;
  port: number;
  /** Null turns auth off. */
  token: string | null;
  targets(): TargetHealth[];
  version: string;
}

export async function serveMetricsApi(db: MetricsDb, o: ServeOptions): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void handle(db, o, req, res).catch((e) => reply(res, 500, { status: 'error', errorType: 'internal', error: String((e as Error)?.message ?? e) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return { server, url: `http://${host}:${a.port}` };
}

async function handle(db: MetricsDb, o: ServeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (o.token !== null && !authorized(req, o.token)) {
    reply(res, 401, { status: 'error', errorType: 'unauthorized', error: 'missing or wrong bearer token' });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params = new URLSearchParams(url.search);
  if (req.method === 'POST') {
    const body = await readBody(req);
    if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  } else if (req.method !== 'GET') {
    reply(res, 405, { status: 'error', errorType: 'bad_data', error: 'method not allowed' });
    return;
  }
  const path = url.pathname.replace(/\/+$/, '');
  try {
    const data = route(db, o, path, params);
    if (data === undefined) reply(res, 404, { status: 'error', errorType: 'not_found', error: `no such endpoint ${path}` });
    else reply(res, 200, { status: 'success', data });
  } catch (e) {
    if (e instanceof BadParam) reply(res, 400, { status: 'error', errorType: 'bad_data', error: e.message });
    else if (isOpsError(e) && (e.kind === 'usage' || e.kind === 'unsupported')) reply(res, e.kind === 'usage' ? 400 : 422, { status: 'error', errorType: e.kind === 'usage' ? 'bad_data' : 'execution', error: e.message });
    else throw e;
  }
}

function route(db: MetricsDb, o: ServeOptions, path: string, p: URLSearchParams): unknown {
  const time = (name: string, dflt?: number): number | undefined => {
    const raw = p.get(name);
    if (raw === null || raw === '') return dflt;
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) throw new BadParam(`invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
    return ms / 1000;
  };
  const need = (name: string): string => {
    const v = p.get(name);
    if (v === null || v === '') throw new BadParam(`invalid parameter "${name}": missing`);
    return v;
  };
  switch (path) {
    case '/api/v1/query':
      return instantQuery(db, need('query'), time('time', Date.now() / 1000)!);
    case '/api/v1/query_range': {
      const stepRaw = need('step');
      const step = /^\d+(\.\d+)?$/.test(stepRaw) ? Number(stepRaw) : durationSeconds(stepRaw);
      return rangeQuery(db, need('query'), time('start')!, time('end')!, step);
    }
    case '/api/v1/series':
      return seriesOf(db, p.getAll('match[]'), time('start'), time('end'));
    case '/api/v1/labels':
      return labelNames(db, time('start'), time('end'));
    case '/api/v1/metadata':
      return metadataOf(db, p.get('metric') ?? undefined);
    case '/api/v1/targets':
      return targetsData(o.targets());
    case '/api/v1/alerts':
      return { alerts: [] };
    case '/api/v1/rules':
      return { groups: [] };
    case '/api/v1/status/buildinfo':
      return { version: `opsdeck-embedded ${o.version}`, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' };
    default: {
      const m = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
      if (m) return labelValues(db, decodeURIComponent(m[1]!), time('start'), time('end'));
      return undefined;
    }
  }
}

class BadParam extends Error {}

function durationSeconds(s: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let seen = '';
  for (const m of s.matchAll(re)) {
    seen += m[0];
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2] as 'ms']!;
  }
  if (seen !== s || total <= 0) throw new BadParam(`invalid parameter "step": cannot parse "${s}" to a valid duration`);
  return total;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const h = String(req.headers.authorization ?? '');
  const m = /^Bearer\s+(.+)$/i.exec(h);
  if (!m) return false;
  const got = Buffer.from(m[1]!.trim());
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
