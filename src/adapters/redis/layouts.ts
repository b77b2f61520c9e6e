import type { LockView, LockWaiter } from '../../core/types.js';
import { isoOrNull } from '../../core/iso-time.js';

/** What the adapter fetched about one key; recognition itself is pure, so it is tested on data. */
export interface KeyFacts {
  name: string;
  type: string;
  pttl: number;
  string?: string | null;
  hash?: Record<string, string>;
  queue?: string[];
  timeouts?: Record<string, number>;
  token?: string | null;
  permitTimeouts?: Array<{ id: string; score: number }>;
}

const REDISSON_FIELD = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d+(:write)?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Redisson's "never" score for permits without expiry. */
const NEVER = 922337203685477;

/**
 * Recognises the lock layout behind one key and reports only what the store holds: Redisson RLock,
 * fair lock, fenced lock, read-write lock, semaphores, and plain SET NX values in the shapes of
 * redis-py, Spring RedisLockRegistry and ShedLock. Returns null for keys that are not locks.
 */
export function recognise(f: KeyFacts, backend: string, now: number, explicit: boolean): LockView | null {
  const ttlMs = f.pttl > 0 ? f.pttl : null;
  const expiresAt = ttlMs === null ? null : isoOrNull(now + ttlMs);
  const base = { backend, name: f.name, acquiredAt: null, expiresAt, ttlMs, reentrancy: null, waiters: null, token: null } satisfies Partial<LockView>;
  const waiters = fairWaiters(f);
  if (f.type === 'hash' && f.hash) {
    const fields = Object.entries(f.hash);
    if ('mode' in f.hash) {
      const mode = f.hash.mode === 'write' ? 'write' : 'read';
      const owners = fields.filter(([k]) => k !== 'mode');
      const writer = owners.find(([k]) => k.endsWith(':write'));
      const readers = owners.filter(([k]) => !k.endsWith(':write')).map(([owner, count]) => ({ owner, count: Number(count) }));
      return {
        ...base,
        kind: 'redisson-rwlock',
        holder: mode === 'write' && writer ? writer[0].replace(/:write$/, '') : readers.map((r) => r.owner).join(',') || null,
        reentrancy: mode === 'write' && writer ? Number(writer[1]) : readers.reduce((n, r) => n + r.count, 0),
        waiters,
        details: { mode, readers, writer: writer ? writer[0].replace(/:write$/, '') : null },
      };
    }
    const counts = fields.filter(([, v]) => /^\d+$/.test(v));
    if (counts.length !== 1 || counts.length !== fields.length) return null;
    // A hash of one owner→count: Redisson's RLock shape (also what opsdeck writes). Without a TTL
    // and without a Redisson-looking field it is more likely an ordinary hash.
    const [owner, count] = counts[0]!;
    if (!explicit && ttlMs === null && !REDISSON_FIELD.test(owner)) return null;
    const kind = f.token != null ? 'redisson-fenced-lock' : waiters !== null ? 'redisson-fair-lock' : 'redisson-lock';
    return { ...base, kind, holder: owner, reentrancy: Number(count), waiters: waiters ?? (kind === 'redisson-fenced-lock' ? null : null), token: f.token != null ? Number(f.token) : null };
  }
  if (f.type === 'none' && waiters && waiters.length > 0) {
    // Free, but clients are queued for it: worth showing.
    return { ...base, kind: 'redisson-fair-lock', holder: null, reentrancy: 0, waiters };
  }
  if (f.type === 'string' && f.string != null) {
    const v = f.string;
    if (f.permitTimeouts) {
      const held = f.permitTimeouts.map((p) => ({ id: p.id, expiresAt: p.score >= NEVER ? null : isoOrNull(p.score) }));
      return { ...base, kind: 'redisson-permit-semaphore', holder: null, details: { freePermits: Number(v), heldPermits: held } };
    }
    if (/^\d+$/.test(v) && ttlMs === null) {
      // Only when asked by name: a bare counter in a listing is more often not a semaphore.
      if (!explicit) return null;
      return { ...base, kind: 'redisson-semaphore', holder: null, details: { freePermits: Number(v), heldPermits: null } };
    }
    if (ttlMs === null && !explicit) return null;
    const shed = /^ADDED:(\d{4}-\d\d-\d\dT[\d:.]+Z?)@(.+)$/.exec(v);
    if (shed) {
      const at = Date.parse(shed[1]!.endsWith('Z') ? shed[1]! : `${shed[1]}Z`);
      return { ...base, kind: 'shedlock-redis', holder: shed[2]!, acquiredAt: Number.isNaN(at) ? null : new Date(at).toISOString() };
    }
    if (UUID.test(v)) return { ...base, kind: 'spring-redis', holder: v };
    if (/^[0-9a-f]{32}$/.test(v) && v[12] === '1') return { ...base, kind: 'redis-py', holder: v };
    return { ...base, kind: 'plain', holder: v };
  }
  return null;
}

function fairWaiters(f: KeyFacts): LockWaiter[] | null {
  if (!f.queue || f.queue.length === 0) return null;
  return f.queue.map((owner) => {
    const until = f.timeouts?.[owner];
    return { owner, since: null, until: until === undefined ? null : isoOrNull(until) };
  });
}
