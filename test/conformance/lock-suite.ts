import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import type { LockBackend } from '../../src/core/subsystems.js';

/**
 * The lock conformance suite. Every lock adapter runs it; the embedded backend must pass all of it.
 * Probes read the store directly (not through the adapter) so a backend cannot pass by agreeing
 * with itself.
 */
export interface LockHarness {
  backend: Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend;
  probe: {
    /** The holder as the store records it right now, or null when free. */
    holder(name: string): Promise<string | null>;
  };
  /** Smallest lease the backend honours (etcd leases are whole seconds). */
  minTtlMs: number;
  /** Whether the backend stores a fencing token. */
  fencing: boolean;
  dispose(): Promise<void>;
}

export type LockCase = 'exclusive' | 'reentrant' | 'ttl' | 'owner-release' | 'force' | 'fencing' | 'fuzz' | 'independent' | 'list' | 'fifo';

export function describeLockConformance(label: string, setup: () => Promise<LockHarness>, skip: Partial<Record<LockCase, string>> = {}): void {
  describe(`lock conformance: ${label}`, () => {
    let h: LockHarness;
    let n = 0;
    // Random names keep cases independent even against a shared server.
    const fresh = () => `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${n++}`;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.dispose();
    });
    const test = (name: LockCase, title: string, fn: () => Promise<void>, timeout?: number) => {
      if (skip[name]) it.skip(`${title} (skipped: ${skip[name]})`, fn);
      else it(title, fn, timeout);
    };

    test('exclusive', 'a second owner is refused while the lock is held', async () => {
      const name = fresh();
      const got = await h.backend.tryAcquire(name, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      expect(got.holder).toBe('alice');
      expect(await h.probe.holder(name)).toBe('alice');
      const err = await h.backend.tryAcquire(name, { owner: 'bob', ttlMs: 30_000, waitMs: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('conflict');
      expect(await h.probe.holder(name)).toBe('alice');
    });

    test('reentrant', 'the same owner can take it again and must release as often', async () => {
      const name = fresh();
      await h.backend.tryAcquire(name, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      await h.backend.tryAcquire(name, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      expect((await h.backend.inspect(name))?.reentrancy).toBe(2);
      const first = await h.backend.release(name, 'alice');
      expect(first.remaining).toBe(1);
      expect(await h.probe.holder(name)).toBe('alice');
      const second = await h.backend.release(name, 'alice');
      expect(second.remaining).toBe(0);
      expect(await h.probe.holder(name)).toBeNull();
    });

    test('ttl', 'an expired lease frees the lock for the next owner', async () => {
      const name = fresh();
      await h.backend.tryAcquire(name, { owner: 'alice', ttlMs: h.minTtlMs, waitMs: 0 });
      expect(await h.probe.holder(name)).toBe('alice');
      const deadline = Date.now() + h.minTtlMs + 10_000;
      while ((await h.probe.holder(name)) !== null) {
        if (Date.now() > deadline) throw new Error('lease never expired');
        await new Promise((r) => setTimeout(r, 50));
      }
      const got = await h.backend.tryAcquire(name, { owner: 'bob', ttlMs: 30_000, waitMs: 0 });
      expect(got.holder).toBe('bob');
    }, 30_000);

    test('owner-release', "a non-owner's release is refused and changes nothing", async () => {
      const name = fresh();
      await h.backend.tryAcquire(name, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      const err = await h.backend.release(name, 'mallory').catch((e: unknown) => e);
      expect((err as OpsError).kind).toBe('conflict');
      expect(await h.probe.holder(name)).toBe('alice');
      const missing = await h.backend.release(fresh(), 'alice').catch((e: unknown) => e);
      expect((missing as OpsError).kind).toBe('not-found');
    });

    test('force', 'force release frees the lock only if the holder is still the one shown', async () => {
      const name = fresh();
      await h.backend.tryAcquire(name, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      const seen = (await h.backend.inspect(name))!;
      const stale = await h.backend.forceRelease(name, { holder: 'someone-else', token: seen.token }).catch((e: unknown) => e);
      expect((stale as OpsError).kind).toBe('conflict');
      expect(await h.probe.holder(name)).toBe('alice');
      const r = await h.backend.forceRelease(name, { holder: seen.holder, token: seen.token });
      expect(r.forced).toBe(true);
      expect(r.previousHolder).toBe('alice');
      expect(await h.probe.holder(name)).toBeNull();
      expect((await h.backend.tryAcquire(name, { owner: 'bob', ttlMs: 30_000, waitMs: 0 })).holder).toBe('bob');
    });

    test('fencing', 'fencing tokens strictly increase across owners', async () => {
      if (!h.fencing) return expect(h.fencing).toBe(false);
      const name = fresh();
      const tokens: number[] = [];
      for (let i = 0; i < 6; i++) {
        const owner = i % 2 === 0 ? 'alice' : 'bob';
        const got = await h.backend.tryAcquire(name, { owner, ttlMs: 30_000, waitMs: 0 });
        tokens.push(Number(got.token));
        await h.backend.release(name, owner);
      }
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1]!);
    });

    test('independent', 'different names do not block each other', async () => {
      const a = fresh();
      const b = fresh();
      await h.backend.tryAcquire(a, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      const got = await h.backend.tryAcquire(b, { owner: 'bob', ttlMs: 30_000, waitMs: 0 });
      expect(got.holder).toBe('bob');
      expect(await h.probe.holder(a)).toBe('alice');
    });

    test('list', 'list shows held locks under a prefix with their facts', async () => {
      const prefix = `${fresh()}/`;
      await h.backend.tryAcquire(`${prefix}one`, { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
      await h.backend.tryAcquire(`${prefix}two`, { owner: 'bob', ttlMs: 30_000, waitMs: 0 });
      await h.backend.tryAcquire(`${fresh()}-elsewhere`, { owner: 'carol', ttlMs: 30_000, waitMs: 0 });
      const views = await h.backend.list(prefix);
      expect(views.map((v) => v.name).sort()).toEqual([`${prefix}one`, `${prefix}two`]);
      const one = views.find((v) => v.name === `${prefix}one`)!;
      expect(one.holder).toBe('alice');
      expect(one.backend).toBe(h.backend.name);
      expect(one.ttlMs === null || one.ttlMs > 0).toBe(true);
      expect(one.expiresAt === null || Date.parse(one.expiresAt) > Date.now()).toBe(true);
    });

    test('fifo', 'waiters get the lock in the order they queued', async () => {
      const name = fresh();
      await h.backend.tryAcquire(name, { owner: 'holder', ttlMs: 30_000, waitMs: 0 });
      const order: string[] = [];
      const w1 = h.backend.tryAcquire(name, { owner: 'first', ttlMs: 30_000, waitMs: 20_000 }).then(async () => {
        order.push('first');
        await h.backend.release(name, 'first');
      });
      // Let the first waiter queue before the second one arrives.
      const queued = Date.now() + 10_000;
      while (((await h.backend.inspect(name))?.waiters?.length ?? 0) < 1) {
        if (Date.now() > queued) throw new Error('first waiter never queued');
        await new Promise((r) => setTimeout(r, 10));
      }
      const w2 = h.backend.tryAcquire(name, { owner: 'second', ttlMs: 30_000, waitMs: 20_000 }).then(async () => {
        order.push('second');
        await h.backend.release(name, 'second');
      });
      while (((await h.backend.inspect(name))?.waiters?.length ?? 0) < 2) {
        if (Date.now() > queued) throw new Error('second waiter never queued');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect((await h.backend.inspect(name))?.waiters?.map((w) => w.owner)).toEqual(['first', 'second']);
      await h.backend.release(name, 'holder');
      await Promise.all([w1, w2]);
      expect(order).toEqual(['first', 'second']);
    }, 30_000);

    test('fuzz', 'N contenders over M rounds never overlap', async () => {
      const name = fresh();
      const contenders = 6;
      const rounds = 8;
      let inside = 0;
      let maxInside = 0;
      let entries = 0;
      await Promise.all(
        Array.from({ length: contenders }, async (_, c) => {
          const owner = `worker-${c}`;
          for (let r = 0; r < rounds; r++) {
            await h.backend.tryAcquire(name, { owner, ttlMs: 30_000, waitMs: 30_000 });
            inside++;
            entries++;
            maxInside = Math.max(maxInside, inside);
            expect(await h.probe.holder(name)).toBe(owner);
            await new Promise((res) => setTimeout(res, Math.random() * 3));
            inside--;
            await h.backend.release(name, owner);
          }
        }),
      );
      expect(entries).toBe(contenders * rounds);
      expect(maxInside).toBe(1);
    }, 60_000);
  });
}
