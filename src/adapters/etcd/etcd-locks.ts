import { notFound, OpsError } from '../../core/errors.js';
import { refused } from '../../core/lock-refusal.js';
import type { AcquireOptions, ForceExpectation, ListOptions, LockBackend } from '../../core/subsystems.js';
import type { AcquireResult, LockView, ReleaseResult } from '../../core/types.js';
import { readGrant, readKeepAlive, readRange, readTimeToLive, readTxn } from './answers.js';
import { b64, decodeKv, leaseHex, prefixEnd } from './codec.js';
import type { EtcdHttp } from './etcd-http.js';
import { contendersOf, isOwnedBy, lockNameOf, mutexView, type Contender, type LeaseFacts } from './mutex-layout.js';
import type { EtcdOptions } from './options.js';
import { isoOrNull } from '../../core/iso-time.js';
import { onAbort as whenAborted } from '../../core/on-abort.js';

/** Keys per range page while listing, and the bounds of one listing. */
const PAGE = 500;
const LIST_MAX_KEYS = 20_000;
const LIST_TIME_MS = 10_000;
/** Contenders read per lock: the holder and this many waiters at most. */
const MAX_CONTENDERS = 1000;
const INSPECT_BATCH = 16;

/**
 * Locks in etcd's concurrency mutex layout (see mutex-layout.ts), read and written through the v3
 * JSON gateway. Writes follow the layout exactly, so Go clients, `etcdctl lock` and the lock
 * service queue with opsdeck's contenders; opsdeck also stores the owner id as the key's value,
 * where Go's Mutex leaves it empty.
 */
export class EtcdLocks implements LockBackend {
  readonly name: string;
  private readonly root: Buffer;

  constructor(private readonly http: EtcdHttp, private readonly o: EtcdOptions) {
    this.name = o.name;
    this.root = Buffer.from(o.prefix, 'utf8');
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<LockView[]> {
    const names = await this.lockNames(prefix, opts);
    const views: LockView[] = [];
    for (let i = 0; i < names.length; i += INSPECT_BATCH) {
      this.checkCancelled(opts.signal);
      const batch = await Promise.all(names.slice(i, i + INSPECT_BATCH).map((n) => this.inspect(n)));
      for (const v of batch) if (v) views.push(v);
    }
    return views;
  }

  async inspect(name: string): Promise<LockView | null> {
    const { contenders, truncated } = await this.contenders(name);
    if (contenders.length === 0) return null;
    const lease = await this.leaseFacts(contenders[0]!.kv.lease);
    return mutexView(this.name, name, contenders, lease, Date.now(), truncated);
  }

  /**
   * Takes the lock on a lease of its own with the TTL (whole seconds; etcd raises it to its minimum,
   * 2 s on a default single member). No keep-alive once held: the lock lives until the lease
   * expires or it is released. Try-once is a transaction (put our key if absent, then see whether
   * it is the oldest), because the lock service only blocks; waiting goes through /v3/lock/lock.
   */
  async tryAcquire(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    const granted = readGrant(this.http.shape('/v3/lease/grant'), await this.http.call('/v3/lease/grant', { TTL: Math.max(1, Math.ceil(opts.ttlMs / 1000)) }));
    const lease = granted.id;
    const ttlS = granted.ttlS;
    const namePrefix = this.namePrefix(name);
    const key = Buffer.concat([namePrefix, Buffer.from(leaseHex(lease))]);
    let mine = 0;
    try {
      const created = readTxn(this.http.shape('/v3/kv/txn'), await this.http.call('/v3/kv/txn', {
        compare: [{ target: 'CREATE', key: b64(key), create_revision: '0', result: 'EQUAL' }],
        success: [
          { request_put: { key: b64(key), value: b64(opts.owner), lease } },
          // The oldest key under the prefix, exactly as Go's Mutex decides ownership.
          { request_range: { key: b64(namePrefix), range_end: b64(prefixEnd(namePrefix)), sort_target: 'CREATE', sort_order: 'ASCEND', limit: '1' } },
        ],
        failure: [],
      }));
      if (!created.succeeded) throw new OpsError('backend', `etcd already has a key for the new lease ${leaseHex(lease)}`, 'try again');
      mine = Number(created.revision);
      const oldest = created.responses[1]?.range?.kvs[0];
      if (oldest && Number(oldest.create_revision) === mine) return this.acquired(name, opts.owner, mine, ttlS);
      if (opts.waitMs <= 0) throw await this.heldBy(name, opts.owner, false);
      await this.queue(name, lease, ttlS, opts);
      // The lease was kept alive while queued; renew once more so the TTL counts from now.
      const renewed = await this.keepAlive(lease);
      return this.acquired(name, opts.owner, mine, renewed ?? ttlS);
    } catch (e) {
      // Our key must not stay queued, or stay holding after a failure: drop the lease we granted.
      // Revoking is safe here because that lease is ours alone and carries only this key.
      await this.http.call('/v3/lease/revoke', { ID: lease }).catch(() => undefined);
      throw e;
    }
  }

  /** Deletes the holder's key if it is still `owner`'s (by stored owner id or lease id), atomically. */
  async release(name: string, owner: string): Promise<ReleaseResult> {
    const { contenders } = await this.contenders(name);
    const holder = contenders[0];
    if (!holder) throw notFound(`lock ${name} is not held`, 'nothing to release; "opsdeck locks list" shows the held locks');
    if (!isOwnedBy(holder, owner)) {
      const queued = contenders.slice(1).some((c) => isOwnedBy(c, owner));
      throw refused({ reason: 'not-holder', name, holder: holder.label, owner, queued });
    }
    if (!(await this.deleteIfUnchanged(holder, true))) {
      throw refused({ reason: 'changed-hands', name, holder: null, during: true });
    }
    return { name, released: true, remaining: 0, forced: false, previousHolder: holder.label };
  }

  /**
   * Deletes the holder's key only if its create_revision is still the one the user was shown (the
   * view's token), in one transaction; the next contender's watch then fires and it takes over.
   * The lease is deliberately not revoked: it is the holder's session, which may carry other
   * keys (more locks, an election, service registrations) that a revoke would delete as well.
   */
  async forceRelease(name: string, expected: ForceExpectation): Promise<ReleaseResult> {
    const { contenders } = await this.contenders(name);
    const holder = contenders[0];
    if (!holder) throw notFound(`lock ${name} is not held`, 'nothing to release');
    const changed = () => refused({ reason: 'changed-hands', name, holder: holder.label, token: holder.kv.createRevision, during: false });
    if (expected.holder !== null && holder.label !== expected.holder && !isOwnedBy(holder, expected.holder)) throw changed();
    if (expected.token !== null && String(expected.token) !== String(holder.kv.createRevision)) throw changed();
    if (!(await this.deleteIfUnchanged(holder, false))) throw refused({ reason: 'changed-hands', name, holder: null, during: true });
    return { name, released: true, remaining: 0, forced: true, previousHolder: holder.label };
  }

  /** Queues on the lock service with our pre-made key, keeping our lease alive, until it is ours or the wait ends. */
  private async queue(name: string, lease: string, ttlS: number, opts: AcquireOptions): Promise<void> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    const detach = whenAborted(opts.signal, onAbort);
    const deadline = setTimeout(onAbort, opts.waitMs);
    // While queued nobody else refreshes the lease (the lock service does not), and a waiter whose
    // lease ran out would lose its place: renew at a third of the TTL.
    const beat = setInterval(() => void this.keepAlive(lease).catch(() => undefined), Math.max(500, (ttlS * 1000) / 3));
    try {
      // The service finds our key already there and waits for every older contender's delete.
      await this.http.call('/v3/lock/lock', { name: b64(this.lockName(name)), lease }, { signal: stop.signal, timeoutMs: opts.waitMs + this.o.timeoutMs });
    } catch (e) {
      if (opts.signal?.aborted) throw new OpsError('failed', `gave up waiting for lock ${name}`, 'the wait was cancelled');
      if (stop.signal.aborted) throw await this.heldBy(name, opts.owner, true);
      throw e;
    } finally {
      clearTimeout(deadline);
      clearInterval(beat);
      detach();
    }
  }

  private acquired(name: string, owner: string, revision: number, ttlS: number): AcquireResult {
    return { name, holder: owner, token: revision, expiresAt: isoOrNull(Date.now() + ttlS * 1000) };
  }

  private async heldBy(name: string, owner: string, waited: boolean): Promise<OpsError> {
    const seen = await this.inspect(name).catch(() => null);
    const holder = seen?.holder && seen.holder !== owner ? seen.holder : 'an older contender';
    return refused({ reason: 'held', name, holder, token: seen?.token ?? null, expiresAt: seen?.expiresAt ?? null, waited, renewable: true });
  }

  /** One keep-alive round trip (the gateway answers one request per POST); the TTL it restored, or null when the lease is gone. */
  private async keepAlive(lease: string): Promise<number | null> {
    const ttl = readKeepAlive(this.http.shape('/v3/lease/keepalive'), await this.http.call('/v3/lease/keepalive', { ID: lease }));
    return ttl > 0 ? ttl : null;
  }

  private async deleteIfUnchanged(c: Contender, checkValue: boolean): Promise<boolean> {
    const compare: unknown[] = [{ target: 'CREATE', key: b64(c.kv.key), create_revision: String(c.kv.createRevision), result: 'EQUAL' }];
    if (checkValue) compare.push({ target: 'VALUE', key: b64(c.kv.key), value: b64(c.kv.value), result: 'EQUAL' });
    const r = readTxn(this.http.shape('/v3/kv/txn'), await this.http.call('/v3/kv/txn', { compare, success: [{ request_delete_range: { key: b64(c.kv.key) } }], failure: [] }));
    return r.succeeded && Number(r.responses[0]?.deleted ?? 0) === 1;
  }

  private async contenders(name: string): Promise<{ contenders: Contender[]; truncated: boolean }> {
    const namePrefix = this.namePrefix(name);
    const answer = await this.http.call('/v3/kv/range', {
      key: b64(namePrefix),
      range_end: b64(prefixEnd(namePrefix)),
      sort_target: 'CREATE',
      sort_order: 'ASCEND',
      limit: String(MAX_CONTENDERS),
    });
    const r = readRange(this.http.shape('/v3/kv/range'), answer);
    return { contenders: contendersOf(r.kvs.map(decodeKv), namePrefix), truncated: r.more };
  }

  private async leaseFacts(lease: string): Promise<LeaseFacts | null> {
    try {
      return readTimeToLive(this.http.shape('/v3/lease/timetolive'), await this.http.call('/v3/lease/timetolive', { ID: lease, keys: false }));
    } catch (e) {
      if (e instanceof OpsError && e.kind === 'not-found') return { ttlS: -1, grantedTtlS: null };
      throw e;
    }
  }

  /** Lock names under the prefix: a keys-only range, paged and bounded in keys and time. */
  private async lockNames(prefix: string, opts: ListOptions): Promise<string[]> {
    const start = Buffer.concat([this.root, Buffer.from(prefix, 'utf8')]);
    const end = prefixEnd(start);
    const names = new Set<string>();
    const began = Date.now();
    let from = start.length === 0 ? Buffer.from([0]) : start;
    let scanned = 0;
    for (;;) {
      this.checkCancelled(opts.signal);
      const answer = await this.http.call('/v3/kv/range', { key: b64(from), range_end: b64(end), keys_only: true, limit: String(PAGE) }, { signal: opts.signal });
      const r = readRange(this.http.shape('/v3/kv/range'), answer);
      const kvs = r.kvs.map(decodeKv);
      scanned += kvs.length;
      for (const kv of kvs) {
        const n = lockNameOf(kv, this.root);
        if (n !== null && n.startsWith(prefix)) names.add(n);
      }
      opts.onProgress?.(scanned);
      if (!r.more || kvs.length === 0) break;
      if (scanned >= LIST_MAX_KEYS || Date.now() - began > LIST_TIME_MS) {
        const byKeys = scanned >= LIST_MAX_KEYS;
        opts.onIncomplete?.(`stopped by the ${byKeys ? `${LIST_MAX_KEYS}-key bound` : `${LIST_TIME_MS} ms time bound`} after ${scanned} keys`, byKeys ? 'limit' : 'time');
        break;
      }
      // The next page starts just after the last key seen.
      from = Buffer.concat([kvs[kvs.length - 1]!.key, Buffer.from([0])]);
    }
    return [...names].sort();
  }

  private checkCancelled(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new OpsError('failed', 'the listing was cancelled; nothing was changed', 'run it again, narrower');
  }

  /** The etcd key of a lock name: the profile prefix, then the name. */
  private lockName(name: string): Buffer {
    return Buffer.concat([this.root, Buffer.from(name, 'utf8')]);
  }

  private namePrefix(name: string): Buffer {
    return Buffer.concat([this.lockName(name), Buffer.from('/')]);
  }
}
