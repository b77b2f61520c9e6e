import { Cluster } from 'ioredis';
import { notFound, OpsError } from '../../core/errors.js';
import { isoOrNull } from '../../core/iso-time.js';
import { refused } from '../../core/lock-refusal.js';
import type { AcquireOptions, ForceExpectation, ListOptions, LockBackend } from '../../core/subsystems.js';
import type { AcquireResult, LockView, ReleaseResult } from '../../core/types.js';
import { boundedScan, globPrefix } from './bounded-scan.js';
import { mapRedisError, type RedisClient } from './client.js';
import { fetchFacts } from './fetch-facts.js';
import { companion, isCompanionKey } from './keys.js';
import { recognise } from './layouts.js';
import type { RedisOptions } from './options.js';
import { ACQUIRE, FORCE_HASH, FORCE_STRING, LEAVE_QUEUE, RELEASE } from './scripts.js';

const WAITER_LEASE_MS = 3000;
const POLL_MS = 25;
const LIST_LIMIT = 5000;
const INSPECT_BATCH = 64;

/** Locks in one Redis (a node or a cluster): forensics for every common layout, Redisson-compatible writes. */
export class RedisLocks implements LockBackend {
  readonly name: string;

  constructor(private readonly client: RedisClient, private readonly o: RedisOptions, private readonly url: string) {
    this.name = o.name;
    // Defined commands run by EVALSHA (falling back to EVAL once), so the script text is not sent per call.
    client.defineCommand('opsdeckAcquire', { numberOfKeys: 4, lua: ACQUIRE });
    client.defineCommand('opsdeckRelease', { numberOfKeys: 3, lua: RELEASE });
  }

  private get scripts(): { opsdeckAcquire(...args: Array<string | number>): Promise<unknown>; opsdeckRelease(...args: Array<string | number>): Promise<unknown> } {
    return this.client as unknown as RedisLocks['scripts'];
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<LockView[]> {
    return this.guard(async () => {
      const bounds = { count: this.o.scanCount, maxKeys: LIST_LIMIT, timeMs: this.o.scanTimeMs, signal: opts.signal, onProgress: opts.onProgress };
      // A free fair lock with queued waiters exists only as its queue key, so look for those too.
      const [direct, queues] = await Promise.all([
        boundedScan(this.client, globPrefix(prefix), bounds),
        boundedScan(this.client, `redisson_lock_queue:{${globPrefix(prefix)}`, bounds),
      ]);
      const keys = [...direct.keys, ...queues.keys];
      for (const part of [direct, queues]) {
        const byTime = part.stoppedBy === 'time';
        if (!part.complete) opts.onIncomplete?.(`stopped by the ${byTime ? `${this.o.scanTimeMs} ms time bound` : `${LIST_LIMIT}-key bound`} after ${part.scanned} keys`, byTime ? 'time' : 'limit');
      }
      const names = new Set<string>();
      for (const k of keys) {
        const queued = /^redisson_lock_queue:\{(.*)\}$/.exec(k);
        if (queued) names.add(queued[1]!);
        else if (!isCompanionKey(k)) names.add(k);
      }
      const now = Date.now();
      const views: LockView[] = [];
      const todo = [...names].filter((n) => n.startsWith(prefix)).sort();
      // Inspect in concurrent batches (ioredis pipelines them on the wire), checking for Ctrl-C.
      for (let i = 0; i < todo.length; i += INSPECT_BATCH) {
        if (opts.signal?.aborted) throw new OpsError('failed', 'the scan was cancelled; nothing was changed', 'run it again, narrower');
        const facts = await Promise.all(todo.slice(i, i + INSPECT_BATCH).map((n) => fetchFacts(this.client, n)));
        for (const f of facts) {
          const v = recognise(f, this.name, now, false);
          if (v) views.push(v);
        }
        opts.onProgress?.(keys.length);
      }
      return views;
    });
  }

  async inspect(name: string): Promise<LockView | null> {
    return this.guard(async () => recognise(await fetchFacts(this.client, name), this.name, Date.now(), true));
  }

  async tryAcquire(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    if (this.o.layout === 'plain') return this.acquirePlain(name, opts);
    return this.guard(async () => {
      const keys = [name, companion.queue(name), companion.timeout(name), companion.token(name)];
      // The deadline is in server time; only a waiting acquire needs it, so only it pays for TIME.
      const deadline = opts.waitMs > 0 ? (await this.serverTime()) + opts.waitMs : 0;
      for (;;) {
        const [state, value] = (await this.scripts.opsdeckAcquire(...keys, opts.owner, opts.ttlMs, deadline, WAITER_LEASE_MS)) as [number, number];
        if (state === 1) return { name, holder: opts.owner, token: Number(value), expiresAt: isoOrNull(Date.now() + opts.ttlMs) };
        if (state === -1) {
          const seen = await this.inspect(name);
          throw refused({ reason: 'held', name, holder: seen?.holder ?? null, token: seen?.token ?? null, expiresAt: value > 0 ? isoOrNull(Date.now() + value) : null, waited: opts.waitMs > 0 });
        }
        if (opts.signal?.aborted) {
          await this.client.eval(LEAVE_QUEUE, 2, companion.queue(name), companion.timeout(name), opts.owner).catch(() => undefined);
          throw new OpsError('failed', `gave up waiting for lock ${name}`, 'the wait was cancelled');
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
  }

  async release(name: string, owner: string): Promise<ReleaseResult> {
    return this.guard(async () => {
      const left = Number(await this.scripts.opsdeckRelease(name, companion.queue(name), companion.channel(name), owner));
      if (left === -2) throw notFound(`lock ${name} is not held`, 'nothing to release; "opsdeck locks list" shows the held locks');
      // A plain SET NX lock: the value is the owner; delete it only if it still is (atomically).
      if (left === -3 && Number(await this.client.eval(FORCE_STRING, 1, name, owner)) === 1) {
        return { name, released: true, remaining: 0, forced: false, previousHolder: owner };
      }
      if (left === -1 || left === -3) {
        const seen = await this.inspect(name);
        throw refused({ reason: 'not-holder', name, holder: seen?.holder ?? null, owner });
      }
      return { name, released: true, remaining: left, forced: false, previousHolder: owner };
    });
  }

  /**
   * Deletes the lock only if the holder is still the one the user was shown, then sends the message
   * the framework listens for, so waiting clients (Redisson's included) wake up and retry.
   */
  async forceRelease(name: string, expected: ForceExpectation): Promise<ReleaseResult> {
    return this.guard(async () => {
      const seen = await this.inspect(name);
      if (!seen || seen.holder === null) throw notFound(`lock ${name} is not held`, 'nothing to release');
      if (expected.holder !== null && seen.holder !== expected.holder) {
        throw refused({ reason: 'changed-hands', name, holder: seen.holder, token: seen.token, during: false });
      }
      let released: number;
      if (seen.kind === 'redisson-rwlock') {
        const mode = (seen.details as { mode?: string } | undefined)?.mode;
        const field = mode === 'write' ? `${seen.holder}:write` : seen.holder.split(',')[0]!;
        // Redisson's RW unlock message: 1 wakes readers after a write lock, 0 after read locks.
        released = Number(await this.client.eval(FORCE_HASH, 3, name, companion.queue(name), companion.rwChannel(name), field, mode === 'write' ? 1 : 0));
      } else if (seen.kind.startsWith('redisson-') && seen.kind.includes('lock')) {
        released = Number(await this.client.eval(FORCE_HASH, 3, name, companion.queue(name), companion.channel(name), seen.holder, 0));
        if (released === 1 && this.client instanceof Cluster) {
          // Redisson on Redis Cluster 7+ listens on sharded pub/sub.
          await this.client.call('spublish', companion.channel(name), '0').catch(() => undefined);
        }
      } else if (['plain', 'redis-py', 'spring-redis', 'shedlock-redis'].includes(seen.kind)) {
        const value = seen.kind === 'shedlock-redis' ? await this.client.get(name) : seen.holder;
        released = value === null ? 0 : Number(await this.client.eval(FORCE_STRING, 1, name, value));
      } else {
        throw new OpsError('unsupported', `force release of a ${seen.kind} is not supported`, 'semaphores have no single holder; release permits from the application');
      }
      if (released !== 1) throw refused({ reason: 'changed-hands', name, holder: null, during: true });
      return { name, released: true, remaining: 0, forced: true, previousHolder: seen.holder };
    });
  }

  /** `SET name owner NX PX ttl`, retried until --wait runs out: no queue, no hold count, no token. */
  private async acquirePlain(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    return this.guard(async () => {
      const deadline = Date.now() + Math.max(0, opts.waitMs);
      for (;;) {
        if ((await this.client.set(name, opts.owner, 'PX', opts.ttlMs, 'NX')) === 'OK') {
          return { name, holder: opts.owner, token: null, expiresAt: isoOrNull(Date.now() + opts.ttlMs) };
        }
        if (Date.now() >= deadline || opts.signal?.aborted) {
          const seen = await this.inspect(name);
          throw refused({ reason: 'held', name, holder: seen?.holder ?? null, token: null, expiresAt: seen?.expiresAt ?? null, waited: opts.waitMs > 0 });
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
  }

  private async serverTime(): Promise<number> {
    const node = this.client instanceof Cluster ? this.client.nodes('master')[0]! : this.client;
    const [s, us] = await node.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapRedisError(e, this.url, this.client);
    }
  }
}
