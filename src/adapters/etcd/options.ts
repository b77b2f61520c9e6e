import { OpsError } from '../../core/errors.js';

/** A profile entry `{type: etcd, url, ...}`, validated. */
export interface EtcdOptions {
  /** Base URL of one etcd client endpoint, without a trailing slash. */
  url: string;
  /** Prepended to every lock name to form the etcd key prefix (an app's "/locks/", say). */
  prefix: string;
  username: string | undefined;
  password: string | undefined;
  /** Per request, for everything except a queued acquire (which waits as long as --wait). */
  timeoutMs: number;
  /** Answers bigger than this are refused instead of filling memory. */
  maxResponseBytes: number;
  /** The backend column name (the profile entry's name). */
  name: string;
}

const num = (v: unknown, d: number, what: string): number => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new OpsError('config', `etcd: ${what} must be a positive number, not ${JSON.stringify(v)}`, 'fix the profile');
  return n;
};

export function parseEtcdOptions(o: Record<string, unknown>, name: string): EtcdOptions {
  if (typeof o.url !== 'string' || !/^https?:\/\/[^/]+/.test(o.url)) {
    throw new OpsError('config', 'etcd: give "url: http://host:2379" (one client endpoint)', 'the v3 JSON gateway of etcd 3.4+ is served on the client port');
  }
  if (o.prefix !== undefined && typeof o.prefix !== 'string') throw new OpsError('config', 'etcd: prefix must be a string', 'for example prefix: /locks/');
  // etcd knows no basic auth, and the url goes into every error message: credentials written into
  // it (http://user:pass@host) become the username and password, and leave the url.
  const { url, username, password } = splitCredentials(o.url);
  if (o.username === undefined && o.password === undefined && username !== undefined) {
    o = { ...o, username, password };
  }
  if ((o.username === undefined) !== (o.password === undefined)) {
    throw new OpsError('config', 'etcd: give both username and password, or neither', 'the password may come from ${ENV} or ${file:...}');
  }
  if (o.username !== undefined && (typeof o.username !== 'string' || o.username === '')) throw new OpsError('config', 'etcd: username must be a non-empty string', 'fix the profile');
  return {
    url: url.replace(/\/+$/, ''),
    prefix: (o.prefix as string | undefined) ?? '',
    username: o.username as string | undefined,
    password: o.password === undefined ? undefined : String(o.password),
    timeoutMs: num(o.timeoutMs, 5000, 'timeoutMs'),
    maxResponseBytes: num(o.maxResponseBytes, 16 * 1024 * 1024, 'maxResponseBytes'),
    name,
  };
}

function splitCredentials(raw: string): { url: string; username?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new OpsError('config', `etcd: url is not a valid URL`, 'write it as http://host:2379');
  }
  if (u.username === '' && u.password === '') return { url: raw };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), username, password };
}
