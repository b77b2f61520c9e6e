import { OpsError } from '../../core/errors.js';
import type { ListOptions } from '../../core/subsystems.js';
import { readRange, readTimeToLive, readTxn } from './answers.js';
import { b64, decodeKv, prefixEnd, type Kv } from './codec.js';
import type { EtcdHttp } from './etcd-http.js';

/**
 * Key reads and compare-and-set writes on the v3 gateway, shared by the config and registry
 * backends. Every conditional write is one transaction comparing the key's mod_revision (0 for a
 * key that is absent, which is how etcd itself spells "create only if absent"), with a range of the
 * key on the failure branch so a lost race says what the key holds now.
 */

/** Keys per range page while listing. */
const PAGE = 500;

export interface KeyState {
  kv: Kv | null;
  /** The store's revision when it was read (the header's). */
  revision: number;
}

/** One key, now or as it was at `revision` (etcd's MVCC keeps old revisions until compaction). */
export async function readKey(http: EtcdHttp, key: Buffer, o: { revision?: number; signal?: AbortSignal } = {}): Promise<KeyState> {
  const body: Record<string, unknown> = { key: b64(key) };
  if (o.revision !== undefined) body.revision = String(o.revision);
  const r = readRange(http.shape('/v3/kv/range'), await http.call('/v3/kv/range', body, o.signal ? { signal: o.signal } : {}));
  const kv = r.kvs[0];
  return { kv: kv ? decodeKv(kv) : null, revision: Number(r.revision ?? 0) };
}

/** Whether an error is etcd refusing a revision that compaction removed. */
export function isCompacted(e: unknown): boolean {
  return e instanceof OpsError && /required revision has been compacted/.test(e.message);
}

/**
 * Every key under `prefix` with its value, in key order, paged; stops at `maxKeys` and says so
 * through `onIncomplete`.
 */
export async function scanPrefix(http: EtcdHttp, prefix: Buffer, maxKeys: number, opts: ListOptions = {}): Promise<Kv[]> {
  const end = prefixEnd(prefix);
  let from = prefix.length === 0 ? Buffer.from([0]) : prefix;
  const out: Kv[] = [];
  for (;;) {
    if (opts.signal?.aborted) throw new OpsError('failed', 'the listing was cancelled; nothing was changed', 'run it again, narrower');
    const limit = Math.min(PAGE, maxKeys - out.length + 1);
    const answer = await http.call('/v3/kv/range', { key: b64(from), range_end: b64(end), limit: String(limit) }, opts.signal ? { signal: opts.signal } : {});
    const r = readRange(http.shape('/v3/kv/range'), answer);
    const kvs = r.kvs.map(decodeKv);
    out.push(...kvs);
    opts.onProgress?.(out.length);
    if (out.length > maxKeys) {
      opts.onIncomplete?.(`the first ${maxKeys} keys under ${prefix.toString('utf8') || '/'} were read (the profile's bound)`, 'limit');
      return out.slice(0, maxKeys);
    }
    if (!r.more || kvs.length === 0) return out;
    from = Buffer.concat([kvs[kvs.length - 1]!.key, Buffer.from([0])]);
  }
}

export interface CasResult {
  ok: boolean;
  /** The key after the write (ok), or as it is now (a lost race); null when absent. */
  now: Kv | null;
  revision: number;
}

/**
 * Puts `value` only while the key's mod_revision is `expectMod` (0: only while it is absent). The
 * key keeps its lease (a registration stays tied to its app's session).
 */
export async function putIfUnchanged(http: EtcdHttp, key: Buffer, value: Buffer, expectMod: number, lease: string): Promise<CasResult> {
  const put: Record<string, unknown> = { key: b64(key), value: b64(value) };
  if (lease !== '0') put.lease = lease;
  const r = readTxn(
    http.shape('/v3/kv/txn'),
    await http.call('/v3/kv/txn', {
      compare: [{ target: 'MOD', key: b64(key), mod_revision: String(expectMod), result: 'EQUAL' }],
      success: [{ request_put: put }, { request_range: { key: b64(key) } }],
      failure: [{ request_range: { key: b64(key) } }],
    }),
  );
  const range = r.succeeded ? r.responses[1]?.range : r.responses[0]?.range;
  const kv = range?.kvs[0];
  return { ok: r.succeeded, now: kv ? decodeKv(kv) : null, revision: Number(r.revision ?? 0) };
}

/** Deletes the key only while its mod_revision is `expectMod`. */
export async function deleteIfUnchanged(http: EtcdHttp, key: Buffer, expectMod: number): Promise<CasResult> {
  const r = readTxn(
    http.shape('/v3/kv/txn'),
    await http.call('/v3/kv/txn', {
      compare: [{ target: 'MOD', key: b64(key), mod_revision: String(expectMod), result: 'EQUAL' }],
      success: [{ request_delete_range: { key: b64(key) } }],
      failure: [{ request_range: { key: b64(key) } }],
    }),
  );
  const kv = r.succeeded ? undefined : r.responses[0]?.range?.kvs[0];
  return { ok: r.succeeded, now: kv ? decodeKv(kv) : null, revision: Number(r.revision ?? 0) };
}

/** A lease's time left and granted TTL in seconds; null when the lease is gone (or there is none). */
export async function leaseTtl(http: EtcdHttp, lease: string): Promise<{ ttlS: number; grantedTtlS: number | null } | null> {
  if (lease === '0') return null;
  try {
    const t = readTimeToLive(http.shape('/v3/lease/timetolive'), await http.call('/v3/lease/timetolive', { ID: lease, keys: false }));
    return t.ttlS < 0 ? null : t;
  } catch (e) {
    if (e instanceof OpsError && e.kind === 'not-found') return null;
    throw e;
  }
}

/** UTF-8 text of a value, or null when it is not UTF-8. */
export function utf8(value: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return null;
  }
}
