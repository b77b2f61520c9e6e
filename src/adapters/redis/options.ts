import { OpsError } from '../../core/errors.js';

/** A profile entry `{type: redis, ...}`, validated. */
export interface RedisOptions {
  /** One URL for a single node (or a cluster seed); several for a Redlock group or cluster seeds. */
  urls: string[];
  /** Treat the URLs as seeds of one Redis Cluster and scan every master. */
  cluster: boolean;
  username: string | undefined;
  password: string | undefined;
  /** true, or an object of TLS options; rediss:// URLs turn it on too. */
  tls: boolean;
  db: number | undefined;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** SCAN bounds for listing: keys per SCAN call, and the time budget of one listing. */
  scanCount: number;
  scanTimeMs: number;
  /** What `locks acquire` writes: Redisson's fair+fenced hash layout (default) or a plain `SET NX PX`. */
  layout: 'redisson' | 'plain';
  /** The backend column name (the profile entry's name). */
  name: string;
}

const num = (v: unknown, d: number, what: string): number => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new OpsError('config', `redis: ${what} must be a positive number, not ${JSON.stringify(v)}`, 'fix the profile');
  return n;
};

export function parseRedisOptions(o: Record<string, unknown>, name: string): RedisOptions {
  const urls = o.urls !== undefined ? o.urls : o.url !== undefined ? [o.url] : undefined;
  if (!Array.isArray(urls) || urls.length === 0 || !urls.every((u) => typeof u === 'string' && /^rediss?:\/\//.test(u))) {
    throw new OpsError('config', 'redis: give "url: redis://host:6379" (or "urls: [...]" for a Redlock group or cluster seeds)', 'rediss:// turns on TLS');
  }
  return {
    urls: urls as string[],
    cluster: o.cluster === true,
    username: typeof o.username === 'string' ? o.username : undefined,
    password: typeof o.password === 'string' ? o.password : undefined,
    tls: o.tls === true || (urls as string[]).some((u) => u.startsWith('rediss://')),
    db: o.db === undefined ? undefined : num(o.db, 0, 'db'),
    connectTimeoutMs: num(o.connectTimeoutMs, 3000, 'connectTimeoutMs'),
    commandTimeoutMs: num(o.commandTimeoutMs, 5000, 'commandTimeoutMs'),
    scanCount: num(o.scanCount, 500, 'scanCount'),
    scanTimeMs: num(o.scanTimeMs, 5000, 'scanTimeMs'),
    layout: layoutOf(o.layout),
    name,
  };
}

function layoutOf(v: unknown): 'redisson' | 'plain' {
  if (v === undefined || v === 'redisson') return 'redisson';
  if (v === 'plain') return 'plain';
  throw new OpsError('config', `redis: layout must be redisson or plain, not ${JSON.stringify(v)}`, 'redisson writes Redisson-compatible locks; plain writes SET NX PX values');
}
