import { Cluster, Redis, type RedisOptions as IoOptions } from 'ioredis';
import { OpsError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { GuardedConnector, RedisProtocolError } from './guarded-connector.js';
import type { RedisOptions } from './options.js';

export type RedisClient = Redis | Cluster;

const lastErrors = new WeakMap<RedisClient, Error>();

/**
 * Opens a client for one URL (or a cluster from seeds). Commands fail fast while disconnected
 * instead of queueing forever, and the client keeps reconnecting in the background, so a restarted
 * server comes back by itself and meanwhile every command says clearly that it is down.
 */
export function openClient(url: string, o: RedisOptions): RedisClient {
  const base: IoOptions = {
    username: o.username,
    password: o.password,
    db: o.db,
    connectTimeout: o.connectTimeoutMs,
    commandTimeout: o.commandTimeoutMs,
    lazyConnect: true,
    // Shows up in CLIENT LIST, so an operator can tell opsdeck's connections from the app's.
    connectionName: 'opsdeck',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(2000, 100 * times),
    // Malformed replies become connection errors, and disconnect leaves no timer behind.
    Connector: GuardedConnector,
    ...(o.tls ? { tls: {} } : {}),
  };
  const client = o.cluster
    ? new Cluster(o.urls.map((u) => hostPort(u)), { redisOptions: base, lazyConnect: true, enableOfflineQueue: false })
    : new Redis(url, base);
  // ioredis reports the real cause (WRONGPASS, ECONNREFUSED, a reply it cannot parse) as an event
  // and then rejects with a generic "Connection is closed"; keep the cause to explain the failure.
  // A protocol error stays the cause of the resets and closed pipes that follow it, until the
  // client is ready again.
  client.on('error', (e: Error) => {
    const kept = lastErrors.get(client);
    if (!(kept && isProtocolError(kept) && isConnectionLoss(e))) lastErrors.set(client, e);
  });
  client.on('ready', () => lastErrors.delete(client));
  return client;
}

/** Connects, mapping failures to an OpsError that names the server without its password. */
export async function connectClient(client: RedisClient, url: string): Promise<void> {
  if (client.status === 'ready') return;
  try {
    if (client.status === 'wait' || client.status === 'end') await client.connect();
    else await waitReady(client);
  } catch (e) {
    throw mapRedisError(e, url, client);
  }
}

/**
 * A client error as an OpsError that names the server without its password. Given the client, a
 * lost connection ("Connection is closed", a reset, "max retries") is explained by the error that
 * caused it.
 */
export function mapRedisError(e: unknown, url: string, client?: RedisClient): OpsError {
  if (e instanceof OpsError) return e;
  const cause = client && lastErrors.get(client);
  if (cause && isConnectionLoss(e)) e = cause;
  const msg = ((e as Error)?.message ?? String(e)).replace(/\s*Please report this\.?/, '');
  const where = redactText(url);
  // An HTTP, database or other non-Redis port answers bytes the parser refuses: a bad answer, exit 3.
  if (isProtocolError(e)) {
    return new OpsError('bad-answer', `redis ${where} answered with ${e instanceof RedisProtocolError ? msg : `a reply that is not the Redis protocol (${msg})`}`, 'check that the url points at a Redis server (host and port)');
  }
  if (/NOAUTH|WRONGPASS|invalid password|NOPERM/i.test(msg)) {
    return new OpsError('unauthorized', `redis ${where} refused the credentials: ${msg}`, 'check username/password in the profile (use ${ENV} references)');
  }
  if (/timeout|timed out/i.test(msg)) return new OpsError('timeout', `redis ${where} did not answer in time: ${msg}`, 'check the server, or raise commandTimeoutMs in the profile');
  if (isConnectionLoss(e) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|enableOfflineQueue|connect ETIMEDOUT/i.test(msg)) {
    return new OpsError('unreachable', `redis ${where} is unreachable (${connectionCause(msg)})`, 'check that the server is up and the URL is right; opsdeck keeps reconnecting');
  }
  return new OpsError('backend', `redis ${where}: ${msg}`, 'see the server log');
}

/**
 * The driver's words for a lost or refused connection, said the way an on-call engineer reads them
 * ("Stream isn't writeable and enableOfflineQueue options is false" means: not connected).
 */
export function connectionCause(msg: string): string {
  const known: Array<[RegExp, string]> = [
    [/ECONNREFUSED/i, 'connection refused'],
    [/ENOTFOUND|EAI_AGAIN/i, 'host not found'],
    [/EHOSTUNREACH|ENETUNREACH/i, 'no route to host'],
    [/ETIMEDOUT/i, 'connect timed out'],
    [/ECONNRESET|EPIPE/i, 'connection reset'],
    [/Reached the max retries/i, 'gave up after retries'],
    [/Stream isn't writeable|enableOfflineQueue|Connection is closed/i, 'not connected'],
  ];
  return known.find(([re]) => re.test(msg))?.[1] ?? msg.slice(0, 80);
}

/** A reply the parser refused: ioredis' "Protocol error, got …" or a parser crash caught by the connector. */
function isProtocolError(e: unknown): boolean {
  return e instanceof RedisProtocolError || /^Protocol error/i.test((e as Error)?.message ?? '');
}

/** The connection went away: these say that it did, not why. */
function isConnectionLoss(e: unknown): boolean {
  return /Connection is closed|Stream isn't writeable|Reached the max retries|EPIPE|ECONNRESET/i.test((e as Error)?.message ?? '');
}

function waitReady(client: RedisClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = () => (cleanup(), resolve());
    const fail = (e: Error) => (cleanup(), reject(e));
    const cleanup = () => {
      client.off('ready', ok);
      client.off('error', fail);
    };
    client.once('ready', ok);
    client.once('error', fail);
  });
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379) };
}
