import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/adapters/etcd/index.js';
import type { Adapter } from '../../src/core/subsystems.js';
import type { EtcdServer } from '../servers/etcd-server.js';

/**
 * Raw access to a real etcd's v3 JSON gateway for probes and for writing registrations the way an
 * application does, without the adapter: plain fetch, base64 keys and values, and a root token when
 * the server has auth on.
 */
export class EtcdRaw {
  private token: string | null = null;

  constructor(private readonly server: EtcdServer) {}

  async call(path: string, body: unknown): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.server.rootPassword !== null) headers.authorization = await this.login();
    const r = await fetch(`${this.server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = (await r.json()) as Record<string, unknown>;
    if (r.status >= 400) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(json)}`);
    return json;
  }

  /** The value of a key now (or at a revision), or null. */
  async get(key: string, revision?: number): Promise<{ value: string; modRevision: number; lease: string; version: number } | null> {
    const r = await this.call('/v3/kv/range', { key: b64(key), ...(revision === undefined ? {} : { revision: String(revision) }) });
    const kv = (r.kvs as Array<Record<string, string>> | undefined)?.[0];
    if (!kv) return null;
    return { value: Buffer.from(kv.value ?? '', 'base64').toString('utf8'), modRevision: Number(kv.mod_revision), lease: kv.lease ?? '0', version: Number(kv.version) };
  }

  /** Every key under a prefix with its value. */
  async under(prefix: string): Promise<Array<{ key: string; value: string; lease: string }>> {
    const end = Buffer.from(prefix);
    end[end.length - 1]! += 1;
    const r = await this.call('/v3/kv/range', { key: b64(prefix), range_end: end.toString('base64') });
    return ((r.kvs as Array<Record<string, string>> | undefined) ?? []).map((kv) => ({ key: Buffer.from(kv.key!, 'base64').toString('utf8'), value: Buffer.from(kv.value ?? '', 'base64').toString('utf8'), lease: kv.lease ?? '0' }));
  }

  /** Puts a key (on a lease when given) and answers the revision it made. */
  async put(key: string, value: string, lease?: string): Promise<number> {
    const r = await this.call('/v3/kv/put', { key: b64(key), value: b64(value), ...(lease ? { lease } : {}) });
    return Number((r.header as Record<string, string>).revision);
  }

  async del(key: string): Promise<void> {
    await this.call('/v3/kv/deleterange', { key: b64(key) });
  }

  /** A new lease of `ttlS` seconds: its decimal id. */
  async grant(ttlS: number): Promise<string> {
    const r = await this.call('/v3/lease/grant', { TTL: String(ttlS) });
    return String(r.ID);
  }

  async revoke(lease: string): Promise<void> {
    await this.call('/v3/lease/revoke', { ID: lease });
  }

  async compact(revision: number): Promise<void> {
    await this.call('/v3/kv/compaction', { revision: String(revision), physical: true });
  }

  private async login(): Promise<string> {
    if (this.token) return this.token;
    const r = await fetch(`${this.server.url}/v3/auth/authenticate`, { method: 'POST', body: JSON.stringify({ name: 'root', password: this.server.rootPassword }) });
    this.token = ((await r.json()) as { token: string }).token;
    return this.token;
  }
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** An adapter on the server, with root credentials when it has auth on. */
export async function etcdAdapter(server: EtcdServer, options: Record<string, unknown> = {}, name = 'etcd'): Promise<Adapter & { cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-etcd-adapter-'));
  const auth = server.rootPassword === null ? {} : { username: 'root', password: server.rootPassword };
  const a = await connect({ url: server.url, ...auth, ...options }, { dataDir: dir, version: 'test', name });
  return Object.assign(a, {
    async cleanup() {
      await a.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
