import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockView } from '../../src/core/types.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';
import { showOne, writeProfiles } from './support.js';

/**
 * Interop with npm `redlock` (v4, the stable line): it locks a resource on three independent
 * Redis servers, and opsdeck, given the three URLs as one Redlock group, must report the value
 * redlock chose, where it is present, and whether a majority still agrees.
 */

/** The part of redlock v4's API used here (it ships no types; it is CommonJS). */
interface RedlockLock {
  resource: string;
  value: string;
  expiration: number;
  unlock(): Promise<void>;
}
interface RedlockClient {
  lock(resource: string, ttlMs: number): Promise<RedlockLock>;
}
const Redlock = createRequire(import.meta.url)('redlock') as new (clients: Redis[], options: Record<string, number>) => RedlockClient;

const TTL_MS = 60_000;

type View = LockView & { details?: Record<string, any> };
interface NodeView {
  url: string;
  present: boolean;
  value: string | null;
  ttlMs: number | null;
}

let servers: RedisServer[];
let clients: Redis[];
let redlock: RedlockClient;
let box: ReturnType<typeof sandbox>;

const run = (...args: string[]) => opsdeck(box.env, ['--profile', 'g', ...args]);

const show = (name: string): View => showOne(box.env, 'g', name);

beforeAll(async () => {
  servers = await Promise.all([startRedis(), startRedis(), startRedis()]);
  // Fail fast instead of retrying: the tests take free resources, and a failure must show at once.
  clients = servers.map((s) => new Redis(s.url, { maxRetriesPerRequest: 1 }));
  // The last test stops a server on purpose; its client's reconnect errors are expected noise.
  for (const c of clients) c.on('error', () => undefined);
  redlock = new Redlock(clients, { retryCount: 0 });
  box = sandbox();
  writeProfiles(box.env, { g: { locks: [{ type: 'redis', urls: servers.map((s) => s.url) }] } });
});

afterAll(async () => {
  for (const c of clients ?? []) c.disconnect();
  await Promise.all((servers ?? []).map((s) => s.stop()));
  box?.cleanup();
});

describe('npm redlock across three Redis servers', () => {
  it('reports kind redlock, the value redlock chose as holder, present on all three, quorum true', async () => {
    const lock = await redlock.lock('deploy/orders', TTL_MS);
    expect(lock.value).toMatch(/^[0-9a-f]{32}$/);

    const v = show('deploy/orders');
    expect(v).toMatchObject({ name: 'deploy/orders', kind: 'redlock', holder: lock.value, reentrancy: null, waiters: null });
    expect(v.details?.quorum).toBe(true);
    const nodes = v.details?.nodes as NodeView[];
    expect(nodes.map((n) => n.url)).toEqual(servers.map((s) => s.url));
    for (const n of nodes) {
      expect(n).toMatchObject({ present: true, value: lock.value });
      expect(n.ttlMs).toBeGreaterThan(0);
      expect(n.ttlMs).toBeLessThanOrEqual(TTL_MS);
    }

    const list = run('locks', 'list', '-o', 'json');
    expect(list.code, list.stderr).toBe(0);
    expect(list.json<{ locks: View[] }>().locks.filter((x) => x.name === 'deploy/orders')).toEqual([expect.objectContaining({ kind: 'redlock', holder: lock.value })]);

    // Released by redlock itself: opsdeck must no longer see it held.
    await lock.unlock();
    const gone = run('locks', 'show', 'deploy/orders', '-o', 'json');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/not held/);
  });

  it('keeps quorum with 2 of 3 copies and loses it with 1 of 3', async () => {
    const lock = await redlock.lock('deploy/billing', TTL_MS);
    // Deleting a node's copy is what an expired or lost key looks like to a reader.
    await clients[2]!.del('deploy/billing');
    const two = show('deploy/billing');
    expect(two.details?.quorum).toBe(true);
    expect(two.holder).toBe(lock.value);
    expect((two.details?.nodes as NodeView[]).map((n) => n.present)).toEqual([true, true, false]);

    await clients[1]!.del('deploy/billing');
    const one = show('deploy/billing');
    expect(one.details?.quorum).toBe(false);
    expect((one.details?.nodes as NodeView[]).map((n) => [n.present, n.value])).toEqual([
      [true, lock.value],
      [false, null],
      [false, null],
    ]);
    // No majority, so no holder: one node's value is not a Redlock holder.
    expect(one.holder).toBeNull();
  });

  it('force release deletes the value on every node, and redlock can lock again', async () => {
    const lock = await redlock.lock('deploy/search', TTL_MS);
    const r = run('locks', 'release', 'deploy/search', '--force', '--yes', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name: 'deploy/search', released: true, forced: true, previousHolder: lock.value });
    expect(await Promise.all(clients.map((c) => c.exists('deploy/search')))).toEqual([0, 0, 0]);
    // retryCount 0: this fails unless every copy is really gone.
    const again = await redlock.lock('deploy/search', TTL_MS);
    expect(again.value).not.toBe(lock.value);
  });

  it('force release refuses when the value changed since it was shown', async () => {
    const lock = await redlock.lock('deploy/cart', TTL_MS);
    const stale = run('locks', 'release', 'deploy/cart', '--force', '--owner', 'f'.repeat(32), '--yes');
    expect(stale.code, stale.stdout).not.toBe(0);
    expect(await Promise.all(clients.map((c) => c.get('deploy/cart')))).toEqual([lock.value, lock.value, lock.value]);
  });

  // Last: it stops a server for good.
  it('a stopped server counts as not holding; the other two still make a quorum', async () => {
    const lock = await redlock.lock('deploy/stopped', TTL_MS);
    await servers[2]!.stop();
    const v = show('deploy/stopped');
    expect(v.details?.quorum).toBe(true);
    expect(v.holder).toBe(lock.value);
    expect((v.details?.nodes as NodeView[]).map((n) => n.present)).toEqual([true, true, false]);
  });
});
