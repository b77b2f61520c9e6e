import { randomUuid } from '../lib/hash.js';
import { notFound, OpsError, usage } from '../core/errors.js';
import { isoOrNull } from '../core/iso-time.js';
import { refused } from '../core/lock-refusal.js';
import type { AcquireOptions, ForceExpectation, LockBackend } from '../core/subsystems.js';
import type { AcquireResult, LockView, ReleaseResult } from '../core/types.js';
import { keys } from './keys.js';
import type { KvStore, WriteTx } from './store/kv-store.js';

interface WaiterDoc {
  owner: string;
  /** One waiting attempt; the same owner may queue from two places. */
  ticket: string;
  since: number;
  /** The waiter's lease: a waiter that stops refreshing it (a killed process) drops out of line. */
  aliveUntil: number;
  deadline: number;
}

interface LockDoc {
  owner: string | null;
  token: number | null;
  count: number;
  acquiredAt: number | null;
  expiresAt: number | null;
  ttlMs: number | null;
  waiters: WaiterDoc[];
}

/** How long a queued waiter stays in line without refreshing, and how often it refreshes. */
const WAITER_LEASE_MS = 3000;
const POLL_MS = 25;

/**
 * The embedded lock service: owner, lease TTL, a fencing token that strictly increases across all
 * locks of the store, reentrancy for the same owner, and FIFO waiters for --wait.
 */
export class LockEngine implements LockBackend {
  readonly name: string;

  constructor(private readonly store: KvStore, private readonly now: () => number, name = 'embedded') {
    this.name = name;
  }

  list(prefix: string): Promise<LockView[]> {
    return this.store.read((view) => {
      const now = this.now();
      const out: LockView[] = [];
      for (const [key, raw] of view.scan<LockDoc>(keys.lockPrefix(prefix))) {
        const doc = normalize(raw, now);
        if (doc.owner === null && doc.waiters.length === 0) continue;
        out.push(this.toView(key.slice('lock/'.length), doc));
      }
      return out;
    });
  }

  inspect(name: string): Promise<LockView | null> {
    return this.store.read((view) => {
      const raw = view.get<LockDoc>(keys.lock(name));
      if (!raw) return null;
      const doc = normalize(raw, this.now());
      return doc.owner === null && doc.waiters.length === 0 ? null : this.toView(name, doc);
    });
  }

  async tryAcquire(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    checkName(name);
    const ticket = randomUuid();
    const deadline = this.now() + Math.max(0, opts.waitMs);
    for (;;) {
      const step = await this.store.update((tx) => this.step(tx, name, opts, ticket, deadline));
      if (step.kind === 'acquired') return step.result;
      if (step.kind === 'refused') {
        const d = step.doc;
        throw refused({ reason: 'held', name, holder: d.owner, token: d.token, expiresAt: d.expiresAt === null ? null : iso(d.expiresAt), waited: opts.waitMs > 0 });
      }
      if (opts.signal?.aborted) {
        await this.store.update((tx) => this.leaveLine(tx, name, ticket));
        throw new OpsError('failed', `gave up waiting for lock ${name}`, 'the wait was cancelled');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  release(name: string, owner: string): Promise<ReleaseResult> {
    return this.store.update((tx) => {
      const doc = this.held(tx, name);
      if (doc.owner !== owner) {
        throw refused({ reason: 'not-holder', name, holder: doc.owner, owner });
      }
      const remaining = doc.count - 1;
      const next: LockDoc = remaining > 0 ? { ...doc, count: remaining } : freed(doc);
      save(tx, name, next);
      return { name, released: true, remaining, forced: false, previousHolder: owner };
    });
  }

  forceRelease(name: string, expected: ForceExpectation): Promise<ReleaseResult> {
    return this.store.update((tx) => {
      const doc = this.held(tx, name);
      if (doc.owner !== expected.holder || doc.token !== expected.token) {
        throw refused({ reason: 'changed-hands', name, holder: doc.owner, token: doc.token, during: false });
      }
      save(tx, name, freed(doc));
      return { name, released: true, remaining: 0, forced: true, previousHolder: doc.owner };
    });
  }

  private step(tx: WriteTx, name: string, opts: AcquireOptions, ticket: string, deadline: number):
    | { kind: 'acquired'; result: AcquireResult }
    | { kind: 'refused'; doc: LockDoc }
    | { kind: 'wait' } {
    const now = this.now();
    const raw = tx.get<LockDoc>(keys.lock(name));
    const doc = normalize(raw ?? freed(null), now);
    const others = doc.waiters.filter((w) => w.ticket !== ticket);
    if (doc.owner === opts.owner) {
      const next = { ...doc, count: doc.count + 1, expiresAt: now + opts.ttlMs, ttlMs: opts.ttlMs, waiters: others };
      save(tx, name, next);
      return { kind: 'acquired', result: { name, holder: opts.owner, token: next.token, expiresAt: iso(next.expiresAt!) } };
    }
    const first = doc.waiters[0];
    if (doc.owner === null && (first === undefined || first.ticket === ticket)) {
      const token = (tx.get<number>(keys.fence) ?? 0) + 1;
      tx.put(keys.fence, token);
      save(tx, name, { owner: opts.owner, token, count: 1, acquiredAt: now, expiresAt: now + opts.ttlMs, ttlMs: opts.ttlMs, waiters: others });
      return { kind: 'acquired', result: { name, holder: opts.owner, token, expiresAt: iso(now + opts.ttlMs) } };
    }
    if (now >= deadline) {
      if (others.length !== doc.waiters.length) save(tx, name, { ...doc, waiters: others });
      return { kind: 'refused', doc };
    }
    const mine = doc.waiters.find((w) => w.ticket === ticket);
    // Refresh the waiter lease only when it runs low, so waiting does not fsync on every poll.
    if (!mine || mine.aliveUntil - now < WAITER_LEASE_MS / 2) {
      const entry: WaiterDoc = { owner: opts.owner, ticket, since: mine?.since ?? now, aliveUntil: now + WAITER_LEASE_MS, deadline };
      save(tx, name, { ...doc, waiters: mine ? doc.waiters.map((w) => (w.ticket === ticket ? entry : w)) : [...doc.waiters, entry] });
    }
    return { kind: 'wait' };
  }

  private leaveLine(tx: WriteTx, name: string, ticket: string): void {
    const raw = tx.get<LockDoc>(keys.lock(name));
    if (raw) save(tx, name, { ...normalize(raw, this.now()), waiters: raw.waiters.filter((w) => w.ticket !== ticket) });
  }

  private held(tx: WriteTx, name: string): LockDoc & { owner: string } {
    const raw = tx.get<LockDoc>(keys.lock(name));
    const doc = raw ? normalize(raw, this.now()) : undefined;
    if (!doc || doc.owner === null) {
      throw notFound(`lock ${name} is not held`, 'nothing to release; "opsdeck locks list" shows the held locks');
    }
    return doc as LockDoc & { owner: string };
  }

  private toView(name: string, doc: LockDoc): LockView {
    return {
      backend: this.name,
      name,
      kind: 'embedded',
      holder: doc.owner,
      acquiredAt: doc.acquiredAt === null ? null : iso(doc.acquiredAt),
      expiresAt: doc.expiresAt === null ? null : iso(doc.expiresAt),
      ttlMs: doc.ttlMs,
      reentrancy: doc.owner === null ? 0 : doc.count,
      waiters: doc.waiters.map((w) => ({ owner: w.owner, since: iso(w.since), until: iso(w.deadline) })),
      token: doc.token,
    };
  }
}

/** Applies the clock: an expired lease frees the lock and dead or timed-out waiters leave the line. */
function normalize(doc: LockDoc, now: number): LockDoc {
  const expired = doc.owner !== null && doc.expiresAt !== null && doc.expiresAt <= now;
  const base = expired ? freed(doc) : doc;
  return { ...base, waiters: doc.waiters.filter((w) => w.aliveUntil > now && w.deadline > now) };
}

function freed(doc: LockDoc | null): LockDoc {
  return { owner: null, token: null, count: 0, acquiredAt: null, expiresAt: null, ttlMs: null, waiters: doc?.waiters ?? [] };
}

function save(tx: WriteTx, name: string, doc: LockDoc): void {
  if (doc.owner === null && doc.waiters.length === 0) tx.del(keys.lock(name));
  else tx.put(keys.lock(name), doc);
}

function checkName(name: string): void {
  if (name.length === 0 || name.length > 512 || /[\0\n]/.test(name)) {
    throw usage(`invalid lock name ${JSON.stringify(name)}`, 'use 1 to 512 characters without newlines');
  }
}

/** Stored instants come from this engine's clock plus bounded leases; a document written otherwise still reads (as null). */
function iso(ms: number): string | null {
  return isoOrNull(ms);
}
