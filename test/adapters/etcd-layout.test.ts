import { describe, expect, it } from 'vitest';
import { leaseHex, prefixEnd, type Kv } from '../../src/adapters/etcd/codec.js';
import { contendersOf, isOwnedBy, lockNameOf, mutexView } from '../../src/adapters/etcd/mutex-layout.js';

/** Pure recognition of etcd's concurrency mutex layout, on hand-made key-values. */
const kv = (key: string, lease: string, createRevision: number, value: Buffer | string = ''): Kv => ({
  key: Buffer.from(key),
  value: Buffer.isBuffer(value) ? value : Buffer.from(value),
  createRevision,
  modRevision: createRevision,
  version: 1,
  lease,
});

describe('etcd codec', () => {
  it('prints lease ids as Go %x does, beyond 2^53', () => {
    expect(leaseHex('4111120238973166604')).toBe('390da21360ea240c');
    expect(leaseHex('255')).toBe('ff');
  });

  it('range ends cover exactly a prefix', () => {
    expect(prefixEnd(Buffer.from('lock/')).toString()).toBe('lock0');
    expect([...prefixEnd(Buffer.from([0x61, 0xff, 0xff]))]).toEqual([0x62]);
    expect([...prefixEnd(Buffer.from([0xff]))]).toEqual([0]);
    expect([...prefixEnd(Buffer.alloc(0))]).toEqual([0]);
  });
});

describe('etcd mutex layout', () => {
  const ns = Buffer.from('jobs/nightly/');

  it('a contender key ends in its own lease id; other keys under the name are ignored', () => {
    const keys = [
      kv('jobs/nightly/1f', '31', 12, 'bob'),
      kv('jobs/nightly/a', '10', 10, 'alice'),
      kv('jobs/nightly/config', '0', 5, 'x'),
      kv('jobs/nightly/ff', '31', 3, 'wrong lease'),
      kv('jobs/nightly/sub/b', '11', 2),
    ];
    expect(contendersOf(keys, ns).map((c) => c.label)).toEqual(['alice', 'bob']);
  });

  it('names a lock from a key, with the profile prefix stripped', () => {
    const root = Buffer.from('/locks/');
    expect(lockNameOf(kv('/locks/jobs/nightly/a', '10', 1), root)).toBe('jobs/nightly');
    expect(lockNameOf(kv('/locks/jobs/nightly/a', '11', 1), root)).toBeNull();
    expect(lockNameOf(kv('/other/jobs/a', '10', 1), root)).toBeNull();
    expect(lockNameOf(kv('/locks/plain', '10', 1), root)).toBeNull();
  });

  it('holder is the oldest create_revision, waiters follow in order; empty or binary values show the lease', () => {
    const keys = [kv('jobs/nightly/c', '12', 30), kv('jobs/nightly/a', '10', 10, Buffer.from([0xff, 0xfe])), kv('jobs/nightly/b', '11', 20, 'carol')];
    const view = mutexView('etcd', 'jobs/nightly', contendersOf(keys, ns), { ttlS: 7, grantedTtlS: 10 }, Date.parse('2026-01-01T00:00:00Z'), false)!;
    expect(view.holder).toBe('a');
    expect(view.waiters!.map((w) => w.owner)).toEqual(['carol', 'c']);
    expect(view.token).toBe(10);
    expect(view.ttlMs).toBe(7000);
    expect(view.expiresAt).toBe('2026-01-01T00:00:07.000Z');
    expect(view.acquiredAt).toBeNull();
    expect(view.details?.acquiredAt).toMatch(/not stored/);
  });

  it('a gone lease reports no TTL rather than a made-up one', () => {
    const view = mutexView('etcd', 'n', contendersOf([kv('jobs/nightly/a', '10', 1, 'x')], ns), { ttlS: -1, grantedTtlS: null }, 0, true)!;
    expect(view.ttlMs).toBeNull();
    expect(view.expiresAt).toBeNull();
    expect(view.details?.truncated).toBeTruthy();
    expect(mutexView('etcd', 'n', [], null, 0, false)).toBeNull();
  });

  it('an owner matches by stored id or by lease id, never by an empty value', () => {
    const [alice, anon] = contendersOf([kv('jobs/nightly/a', '10', 1, 'alice'), kv('jobs/nightly/b', '11', 2)], ns);
    expect(isOwnedBy(alice!, 'alice')).toBe(true);
    expect(isOwnedBy(alice!, 'a')).toBe(true);
    expect(isOwnedBy(alice!, 'bob')).toBe(false);
    expect(isOwnedBy(anon!, '')).toBe(false);
    expect(isOwnedBy(anon!, 'b')).toBe(true);
  });
});
