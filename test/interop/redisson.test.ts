import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';
import { buildJar, LineProcess, showOne, writeProfiles, type InteropView as View } from './support.js';

/**
 * Interop with real Redisson: a Java program (test/interop/redisson/) takes locks the way an
 * application does, and opsdeck must report what Redisson wrote — holder ids, counts, TTLs and
 * the fair queue — and its force release must wake a Redisson thread blocked in lock().
 * Facts are checked two ways: against what Redisson says it did (READY lines), and against the
 * raw keys read here with ioredis, so a reader that guesses instead of reading is caught.
 */

const MODULE = resolve(__dirname, 'redisson');
const JAR = join(MODULE, 'target', 'redisson-interop.jar');
const LEASE_MS = 60_000;
/** Per test: each starts one to five JVMs, which is slow on a loaded two-core CI machine. */
const JVM_TEST_MS = 120_000;

let redis: RedisServer;
let probe: Redis;
let box: ReturnType<typeof sandbox>;
const procs: LineProcess[] = [];

/** Runs the Redisson program on this suite's server; afterEach stops it. */
function redisson(scenario: string, name: string, ...rest: string[]): LineProcess {
  const p = new LineProcess(`redisson ${scenario} ${name}`, 'java', ['-jar', JAR, redis.url, scenario, name, ...rest]);
  procs.push(p);
  return p;
}

const run = (...args: string[]) => opsdeck(box.env, ['--profile', 'r', ...args]);

/** `locks show NAME -o json`, expecting exactly one view (one lock backend in the profile). */
const show = (name: string) => showOne(box.env, 'r', name);

/** Shows a lock and checks that expiresAt is "now + ttlMs" for some now during the call. */
function showTimed(name: string): View {
  const before = Date.now();
  const v = show(name);
  const after = Date.now();
  expect(v.ttlMs, 'ttlMs').toEqual(expect.any(Number));
  expect(v.expiresAt, 'expiresAt').toEqual(expect.any(String));
  const exp = Date.parse(v.expiresAt!);
  expect(exp).toBeGreaterThanOrEqual(before + v.ttlMs! - 1);
  expect(exp).toBeLessThanOrEqual(after + v.ttlMs! + 1);
  return v;
}

beforeAll(async () => {
  buildJar(MODULE, JAR);
  redis = await startRedis();
  probe = new Redis(redis.url);
  box = sandbox();
  writeProfiles(box.env, { r: { locks: [{ type: 'redis', url: redis.url }] } });
}, 400_000);

// Each test's JVMs end with it (they unlock what they still hold), so at most five run at once.
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  probe?.disconnect();
  await redis?.stop();
  box?.cleanup();
});

describe('Redisson RLock', () => {
  it('shows the uuid:threadId holder, its reentrancy and the lease TTL', async () => {
    const p = redisson('rlock', 'interop/rlock');
    const ready = await p.next('READY');
    expect(ready.owner).toMatch(new RegExp(`^${ready.client}:\\d+$`));

    const v = showTimed('interop/rlock');
    expect(v).toMatchObject({
      backend: 'redis',
      name: 'interop/rlock',
      kind: 'redisson-lock',
      holder: ready.owner,
      reentrancy: 2,
      acquiredAt: null,
      token: null,
      waiters: null,
    });
    expect(await probe.hget('interop/rlock', ready.owner)).toBe('2');
    // The TTL is read, not assumed: between what Redis says now and the lease Redisson set.
    const pttl = await probe.pttl('interop/rlock');
    expect(v.ttlMs!).toBeGreaterThanOrEqual(pttl);
    expect(v.ttlMs!).toBeLessThanOrEqual(LEASE_MS);
  }, JVM_TEST_MS);
});

describe('Redisson RFairLock', () => {
  it('shows the holder and the two waiters in queue order, with give-up times from the timeout zset', async () => {
    const p = redisson('fair', 'interop/fair');
    const ready = await p.next('READY');
    const [b, c] = ready.waiters as [string, string];

    const v = showTimed('interop/fair');
    expect(v).toMatchObject({ backend: 'redis', name: 'interop/fair', kind: 'redisson-fair-lock', holder: ready.holder, reentrancy: 1 });
    const timeouts = 'redisson_lock_timeout:{interop/fair}';
    const until = async (owner: string) => new Date(Number(await probe.zscore(timeouts, owner))).toISOString();
    expect(v.waiters).toEqual([
      { owner: b, since: null, until: await until(b) },
      { owner: c, since: null, until: await until(c) },
    ]);
    // Redisson gives each later waiter the previous one's deadline plus its own wait (60 s).
    expect(Date.parse(v.waiters![1]!.until!) - Date.parse(v.waiters![0]!.until!)).toBe(60_000);
  }, JVM_TEST_MS);

  it('a force release wakes the head of the queue (B), not C', async () => {
    const p = redisson('fair', 'interop/fair-release');
    const ready = await p.next('READY');
    const [b, c] = ready.waiters as [string, string];

    const r = run('locks', 'release', 'interop/fair-release', '--force', '--yes', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name: 'interop/fair-release', released: true, forced: true, previousHolder: ready.holder });
    // B waits in tryLock for up to 60 s and A's lease is 60 s, so only the unlock message sent to
    // the head's channel gets B the lock before this deadline.
    expect((await p.next('ACQUIRED', 20_000)).owner).toBe(b);

    const v = show('interop/fair-release');
    expect(v.holder).toBe(b);
    expect(v.waiters!.map((w) => w.owner)).toEqual([c]);
    expect(p.seen('ACQUIRED').map((e) => e.owner)).toEqual([b]);
  }, JVM_TEST_MS);
});

describe('Redisson RReadWriteLock', () => {
  it('read mode: both readers with their counts; the holder lists them', async () => {
    const p = redisson('rw', 'interop/rw-read', 'read');
    const ready = await p.next('READY');

    const v = showTimed('interop/rw-read');
    expect(v).toMatchObject({ backend: 'redis', name: 'interop/rw-read', kind: 'redisson-rwlock' });
    expect(v.details?.mode).toBe('read');
    const byOwner = (rs: Array<{ owner: string; count: number }>) => [...rs].sort((x, y) => x.owner.localeCompare(y.owner));
    expect(byOwner(v.details?.readers)).toEqual(byOwner(ready.readers));
    expect(v.holder).toBe(v.details!.readers.map((r: { owner: string }) => r.owner).join(','));
    expect(v.ttlMs!).toBeLessThanOrEqual(LEASE_MS);
  }, JVM_TEST_MS);

  it('write mode: the writer is the holder, as uuid:threadId', async () => {
    const p = redisson('rw', 'interop/rw-write', 'write');
    const ready = await p.next('READY');
    // What Redisson stores is "<owner>:write"; opsdeck shows the owner Redisson itself uses.
    expect(await probe.hget('interop/rw-write', `${ready.owner}:write`)).toBe('1');

    const v = showTimed('interop/rw-write');
    expect(v).toMatchObject({ backend: 'redis', name: 'interop/rw-write', kind: 'redisson-rwlock', holder: ready.owner });
    expect(v.details?.mode).toBe('write');
    expect(v.details?.readers ?? []).toEqual([]);
    expect(v.ttlMs!).toBeLessThanOrEqual(LEASE_MS);
  }, JVM_TEST_MS);
});

describe('Redisson RSemaphore', () => {
  it('shows free permits and no holder (Redisson does not record who holds permits)', async () => {
    const p = redisson('semaphore', 'interop/sem');
    const ready = await p.next('READY');
    expect(ready.free).toBe(3);

    const v = show('interop/sem');
    expect(v).toMatchObject({
      backend: 'redis',
      name: 'interop/sem',
      kind: 'redisson-semaphore',
      holder: null,
      expiresAt: null,
      ttlMs: null,
      reentrancy: null,
      token: null,
    });
    expect(v.details?.freePermits).toBe(3);
  }, JVM_TEST_MS);
});

describe('Redisson RFencedLock', () => {
  it('shows the fencing token Redisson handed out', async () => {
    const p = redisson('fenced', 'interop/fenced');
    const ready = await p.next('READY');
    expect(ready.token).toBe(2);

    const v = showTimed('interop/fenced');
    expect(v).toMatchObject({ backend: 'redis', name: 'interop/fenced', kind: 'redisson-fenced-lock', holder: ready.owner, reentrancy: 1, token: ready.token });
    expect(await probe.get('redisson_lock_token:{interop/fenced}')).toBe(String(ready.token));
    expect(v.ttlMs!).toBeLessThanOrEqual(LEASE_MS);
  }, JVM_TEST_MS);
});

describe('locks list over Redisson objects', () => {
  it('lists each lock once with its kind and holder, and no companion keys', async () => {
    const started = {
      'list/rlock': redisson('rlock', 'list/rlock'),
      'list/fair': redisson('fair', 'list/fair'),
      'list/rw': redisson('rw', 'list/rw', 'read'),
      'list/sem': redisson('semaphore', 'list/sem'),
      'list/fenced': redisson('fenced', 'list/fenced'),
    };
    const ready = Object.fromEntries(await Promise.all(Object.entries(started).map(async ([n, p]) => [n, await p.next('READY')] as const)));
    // The fenced lock's first unlock can leave a redisson_unlock_latch key behind; make sure the
    // companion keys opsdeck must not list as locks are really in the store.
    const keys = await probe.keys('*');
    for (const k of ['redisson_lock_queue:{list/fair}', 'redisson_lock_timeout:{list/fair}', 'redisson_lock_token:{list/fenced}']) expect(keys).toContain(k);
    expect(keys.some((k) => k.startsWith('{list/rw}:') && k.includes(':rwlock_timeout:'))).toBe(true);

    const r = run('locks', 'list', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const views = r.json<{ locks: View[] }>().locks;
    const ours = views.filter((v) => v.name.startsWith('list/'));
    // The semaphore is left out on purpose: in Redis it is a bare integer string with no TTL, which
    // a scan cannot tell from any counter (the fenced token is one too). `locks show` reports it.
    expect(ours.map((v) => v.name).sort()).toEqual(['list/fair', 'list/fenced', 'list/rlock', 'list/rw']);
    const by = (n: string) => ours.find((v) => v.name === n)!;
    expect(by('list/rlock')).toMatchObject({ kind: 'redisson-lock', holder: ready['list/rlock'].owner, reentrancy: 2 });
    expect(by('list/fair')).toMatchObject({ kind: 'redisson-fair-lock', holder: ready['list/fair'].holder });
    expect(by('list/fair').waiters?.map((w) => w.owner)).toEqual(ready['list/fair'].waiters);
    expect(by('list/rw')).toMatchObject({ kind: 'redisson-rwlock' });
    expect(by('list/fenced')).toMatchObject({ kind: 'redisson-fenced-lock', holder: ready['list/fenced'].owner, token: ready['list/fenced'].token });
    for (const v of views) {
      expect(v.name, 'a companion key listed as a lock').not.toMatch(/^redisson_|^\{.*\}:|:rwlock_timeout:/);
    }
  }, JVM_TEST_MS);
});

describe('force release wakes a waiting Redisson thread', () => {
  it('refuses a stale owner, then deletes and publishes the unlock message; the waiter acquires', async () => {
    // A 300 s lease: the waiter cannot get the lock by expiry while the test runs, only by the
    // unlock message.
    const holder = redisson('rlock', 'interop/wake', '300');
    const held = await holder.next('READY');
    const waiter = redisson('waiter', 'interop/wake');
    const waiting = await waiter.next('READY');
    expect(waiting.owner).not.toBe(held.owner);

    // Compare-and-delete: a holder other than the one in the store must not be released.
    const stale = run('locks', 'release', 'interop/wake', '--force', '--owner', `${waiting.client}:1`, '--yes');
    expect(stale.code, stale.stdout).not.toBe(0);
    expect(await probe.hget('interop/wake', held.owner)).toBe('2');

    const r = run('locks', 'release', 'interop/wake', '--force', '--yes', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name: 'interop/wake', released: true, forced: true, previousHolder: held.owner });
    expect((await waiter.next('ACQUIRED', 20_000)).owner).toBe(waiting.owner);
    expect(waiter.seen('ACQUIRED')).toHaveLength(1);

    const v = show('interop/wake');
    expect(v).toMatchObject({ kind: 'redisson-lock', holder: waiting.owner, reentrancy: 1 });
  }, JVM_TEST_MS);

  it('a forced release of a write lock wakes a Redisson thread waiting for the read lock', async () => {
    const writer = redisson('rw', 'interop/wake-rw', 'write');
    const held = await writer.next('READY');
    const reader = redisson('waiter', 'interop/wake-rw', 'read');
    const waiting = await reader.next('READY');
    expect(waiting.channel).toBe('redisson_rwlock:{interop/wake-rw}');

    const r = run('locks', 'release', 'interop/wake-rw', '--force', '--yes', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ released: true, forced: true, previousHolder: held.owner });
    // The writer's lease is 60 s: only the read-write unlock message wakes the reader this soon.
    expect((await reader.next('ACQUIRED', 20_000)).owner).toBe(waiting.owner);

    const v = show('interop/wake-rw');
    expect(v).toMatchObject({ kind: 'redisson-rwlock', holder: waiting.owner });
    expect(v.details?.mode).toBe('read');
  }, JVM_TEST_MS);
});
