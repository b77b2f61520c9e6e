import { describe, expect, it } from 'vitest';
import { recognise, type KeyFacts } from '../../src/adapters/redis/layouts.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const U = '8f1c2a3b-1111-4222-8333-944455556666';
const facts = (f: Partial<KeyFacts>): KeyFacts => ({ name: 'k', type: 'none', pttl: -2, ...f });

describe('redis lock layout recognition', () => {
  it('RLock: the one field is the holder, its value the reentrancy; TTL from PTTL', () => {
    const v = recognise(facts({ type: 'hash', pttl: 25_000, hash: { [`${U}:57`]: '2' } }), 'redis', NOW, false)!;
    expect(v).toMatchObject({ kind: 'redisson-lock', holder: `${U}:57`, reentrancy: 2, ttlMs: 25_000, expiresAt: '2026-11-25T12:00:25.000Z', waiters: null, token: null, acquiredAt: null });
  });

  it('fenced lock: the token counter makes it a fenced lock with a numeric token', () => {
    expect(recognise(facts({ type: 'hash', pttl: 1000, hash: { [`${U}:1`]: '1' }, token: '17' }), 'redis', NOW, false)).toMatchObject({ kind: 'redisson-fenced-lock', token: 17 });
  });

  it('fair lock: waiters in queue order with their give-up times', () => {
    const v = recognise(facts({ type: 'hash', pttl: 1000, hash: { [`${U}:1`]: '1' }, queue: [`${U}:2`, `${U}:3`], timeouts: { [`${U}:2`]: NOW + 5000, [`${U}:3`]: NOW + 9000 } }), 'redis', NOW, false)!;
    expect(v.kind).toBe('redisson-fair-lock');
    expect(v.waiters).toEqual([
      { owner: `${U}:2`, since: null, until: '2026-11-25T12:00:05.000Z' },
      { owner: `${U}:3`, since: null, until: '2026-11-25T12:00:09.000Z' },
    ]);
  });

  it('read-write lock: write mode names the writer; read mode lists readers and sums holds', () => {
    const w = recognise(facts({ type: 'hash', pttl: 1000, hash: { mode: 'write', [`${U}:9:write`]: '1' } }), 'redis', NOW, false)!;
    expect(w).toMatchObject({ kind: 'redisson-rwlock', holder: `${U}:9`, reentrancy: 1, details: { mode: 'write', writer: `${U}:9` } });
    const r = recognise(facts({ type: 'hash', pttl: 1000, hash: { mode: 'read', [`${U}:1`]: '2', [`${U}:2`]: '1' } }), 'redis', NOW, false)!;
    expect(r).toMatchObject({ kind: 'redisson-rwlock', holder: `${U}:1,${U}:2`, reentrancy: 3, details: { mode: 'read', readers: [{ owner: `${U}:1`, count: 2 }, { owner: `${U}:2`, count: 1 }] } });
  });

  it('permit-expirable semaphore: free permits and each held permit with its expiry (or none)', () => {
    const v = recognise(facts({ type: 'string', pttl: -1, string: '3', permitTimeouts: [{ id: 'ab01', score: NOW + 60_000 }, { id: 'cd02', score: 922337203685477 }] }), 'redis', NOW, false)!;
    expect(v).toMatchObject({ kind: 'redisson-permit-semaphore', holder: null, details: { freePermits: 3, heldPermits: [{ id: 'ab01', expiresAt: '2026-11-25T12:01:00.000Z' }, { id: 'cd02', expiresAt: null }] } });
  });

  it('does not invent locks: plain hashes, counters and TTL-less strings are skipped in listings', () => {
    expect(recognise(facts({ type: 'hash', pttl: -1, hash: { name: 'bob', age: '3' } }), 'redis', NOW, false)).toBeNull();
    expect(recognise(facts({ type: 'hash', pttl: -1, hash: { somefield: '1' } }), 'redis', NOW, false)).toBeNull();
    expect(recognise(facts({ type: 'string', pttl: -1, string: '42' }), 'redis', NOW, false)).toBeNull();
    expect(recognise(facts({ type: 'string', pttl: -1, string: 'hello' }), 'redis', NOW, false)).toBeNull();
    expect(recognise(facts({ type: 'list', pttl: 100 }), 'redis', NOW, true)).toBeNull();
    // Asked for by name, a TTL-less string is still reported, as a plain value without expiry.
    expect(recognise(facts({ type: 'string', pttl: -1, string: 'hello' }), 'redis', NOW, true)).toMatchObject({ kind: 'plain', holder: 'hello', ttlMs: null, expiresAt: null });
  });

  it('ShedLock values give "since"; redis-py uuid1 hex and Spring UUIDs are told apart from random tokens', () => {
    expect(recognise(facts({ type: 'string', pttl: 5000, string: 'ADDED:2026-11-25T11:59:00.000Z@host-a:xyz' }), 'redis', NOW, false)).toMatchObject({ kind: 'shedlock-redis', holder: 'host-a:xyz', acquiredAt: '2026-11-25T11:59:00.000Z' });
    expect(recognise(facts({ type: 'string', pttl: 5000, string: '0123456789ab1def0123456789abcdef' }), 'redis', NOW, false)!.kind).toBe('redis-py');
    expect(recognise(facts({ type: 'string', pttl: 5000, string: '0123456789ab4def0123456789abcdef' }), 'redis', NOW, false)!.kind).toBe('plain');
    expect(recognise(facts({ type: 'string', pttl: 5000, string: U }), 'redis', NOW, false)!.kind).toBe('spring-redis');
  });
});
