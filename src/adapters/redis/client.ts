import { Cluster, Redis, type RedisOptions as IoOptions } from 'ioredis';
import { OpsError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
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
    ...(o.tls ? { tls: {} } : {}),
  };
  const client = o.cluster
    ? new Cluster(o.urls.map((u) => hostPort(u)), { redisOptions: base, lazyConnect: true, enableOfflineQueue: false })
    : new Redis(url, base);
  // ioredis reports the real cause (WRONGPASS, ECONNREFUSED) as an event and then rejects with a
  // generic "Connection is closed"; keep the cause to explain the failure.
  client.on('error', (e: Error) => lastErrors.set(client, e));
  return client;
}

/** Connects, mapping failures to an OpsError that names the server without its password. */
export async function connectClient(client: RedisClient, url: string): Promise<void> {
  if (client.status === 'ready') return;
  try {
    if (client.status === 'wait' || client.status === 'end') await client.connect();
    else await waitReady(client);
  } catch (e) {
    const cause = lastErrors.get(client);
    throw mapRedisError(cause && /closed/i.test((e as Error).message ?? '') ? cause : e, url);
  }
}

export function mapRedisError(e: unknown, url: string): OpsError {
  if (e instanceof OpsError) return e;
  const msg = (e as Error)?.message ?? String(e);
  const where = redactText(url);
  if (/NOAUTH|WRONGPASS|invalid password|NOPERM/i.test(msg)) {
    return new OpsError('unauthorized', `redis ${where} refused the credentials: ${msg}`, 'check username/password in the profile (use ${ENV} references)');
  }
  if (/timeout|timed out/i.test(msg)) return new OpsError('timeout', `redis ${where} did not answer in time: ${msg}`, 'check the server, or raise commandTimeoutMs in the profile');
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|Connection is closed|Stream isn't writeable|enableOfflineQueue|connect ETIMEDOUT|Reached the max retries/i.test(msg)) {
    return new OpsError('unreachable', `redis ${where} is unreachable: ${msg}`, 'check that the server is up and the URL is right; opsdeck keeps reconnecting');
  }
  return new OpsError('backend', `redis ${where}: ${msg}`, 'see the server log');
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
