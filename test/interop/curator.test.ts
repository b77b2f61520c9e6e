import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { startZooKeeper, type ZooKeeperServer } from '../servers/zookeeper-server.js';
import { buildJar, LineProcess, showOne, writeProfiles, type InteropView as View } from './support.js';

/**
 * Interop with real Apache Curator: a Java program (test/interop/curator/) takes an
 * InterProcessMutex with two waiters, a read-write lock and a semaphore lease, each actor in its
 * own ZooKeeper session as separate applications would. The opsdeck binary must report holders
 * and waiter order as Curator sees them, checked against what the program says it did and against
 * the raw znodes read here; and its force release of the mutex must let the first waiter in.
 */

const MODULE = resolve(__dirname, 'curator');
const JAR = join(MODULE, 'target', 'curator-interop.jar');
const JVM_TEST_MS = 120_000;

let zk: ZooKeeperServer;
let probe: Client;
let box: ReturnType<typeof sandbox>;
const procs: LineProcess[] = [];

function curator(scenario: string, path: string): LineProcess {
  const p = new LineProcess(`curator ${scenario} ${path}`, 'java', ['-jar', JAR, zk.connect, scenario, path]);
  procs.push(p);
  return p;
}

const run = (...args: string[]) => opsdeck(box.env, ['--profile', 'z', ...args]);

const show = (name: string) => showOne(box.env, 'z', name);

/** The raw children of a lock znode, sorted by Curator's rule (the sequence at the end). */
function rawLine(path: string): Promise<Array<{ name: string; czxid: bigint; ctime: number; session: string }>> {
  return new Promise((resolvePromise, reject) =>
    probe.getChildren(path, undefined, async (e, children) => {
      if (e) return reject(e);
      const sorted = children.sort((a, b) => Number(/(\d+)$/.exec(a)![1]) - Number(/(\d+)$/.exec(b)![1]));
      const stats = await Promise.all(
        sorted.map(
          (c) =>
            new Promise<{ name: string; czxid: bigint; ctime: number; session: string }>((res, rej) =>
              probe.exists(`${path}/${c}`, undefined, (err, st) =>
                err || !st
                  ? rej(err ?? new Error(`${c} vanished`))
                  : res({ name: c, czxid: st.czxid.readBigInt64BE(0), ctime: Number(st.ctime.readBigInt64BE(0)), session: `0x${st.ephemeralOwner.readBigInt64BE(0).toString(16)}` }),
              ),
            ),
        ),
      );
      resolvePromise(stats);
    }),
  );
}

beforeAll(async () => {
  buildJar(MODULE, JAR);
  zk = await startZooKeeper();
  probe = zookeeper.createClient(zk.connect, { sessionTimeout: 30_000 });
  await new Promise<void>((res) => {
    probe.once('connected', () => res());
    probe.connect();
  });
  box = sandbox();
  writeProfiles(box.env, { z: { locks: [{ type: 'zookeeper', connect: zk.connect, root: '/locks' }] } });
}, 400_000);

afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  probe?.close();
  await zk?.stop();
  box?.cleanup();
});

describe('Curator InterProcessMutex', () => {
  it('shows the holder and both waiters in order, and a force release lets the first waiter in', async () => {
    const p = curator('mutex', '/locks/interop/mutex');
    const holder = await p.next('HELD');
    const w1 = await p.next('QUEUED');
    const w2 = await p.next('QUEUED');
    const { ip } = await p.next('READY');
    // Curator's default node data is the client's IP, so the label is session@ip.
    const label = (session: string) => (ip ? `${session}@${ip}` : session);

    const raw = await rawLine('/locks/interop/mutex');
    expect(raw.map((n) => n.session)).toEqual([holder.session, w1.session, w2.session]);
    expect(raw.every((n) => /^_c_[0-9a-f-]{36}-lock-\d{10}$/.test(n.name))).toBe(true);

    const v = show('interop/mutex');
    expect(v).toMatchObject({ backend: 'zookeeper', name: 'interop/mutex', kind: 'curator-mutex', holder: label(holder.session), reentrancy: null, expiresAt: null, token: Number(raw[0]!.czxid) });
    expect(v.waiters).toEqual([
      { owner: label(w1.session), since: new Date(raw[1]!.ctime).toISOString(), until: null },
      { owner: label(w2.session), since: new Date(raw[2]!.ctime).toISOString(), until: null },
    ]);
    expect(v.details).toMatchObject({ session: holder.session, ip: ip || null, node: `/locks/interop/mutex/${raw[0]!.name}`, queuedAt: new Date(raw[0]!.ctime).toISOString() });
    // cons is allowed on this server: the session maps to the client's address.
    expect(v.details!.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(v.details!.queue.map((q: { session: string }) => q.session)).toEqual([w1.session, w2.session]);

    const listed = run('locks', 'list', '-o', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    const inList = listed.json<{ locks: View[] }>().locks.find((l) => l.name === 'interop/mutex');
    expect(inList?.holder).toBe(label(holder.session));
    expect(inList?.waiters?.map((w) => w.owner)).toEqual([label(w1.session), label(w2.session)]);

    // A force release scoped to someone else is refused and deletes nothing.
    const wrong = run('locks', 'release', 'interop/mutex', '--force', '--yes', '--owner', 'someone-else');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/is held by .*, not someone-else; nothing was released/);
    expect((await rawLine('/locks/interop/mutex')).length).toBe(3);

    const forced = run('locks', 'release', 'interop/mutex', '--force', '--yes', '-o', 'json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json()).toMatchObject({ name: 'interop/mutex', released: true, forced: true, previousHolder: label(holder.session) });

    const acquired = await p.next('ACQUIRED', 30_000);
    expect(acquired).toEqual({ id: 'w1', session: w1.session });
    // The second waiter stays in line behind the first.
    await new Promise((r) => setTimeout(r, 1500));
    expect(p.seen('ACQUIRED').map((a) => a.id)).toEqual(['w1']);
    const after = show('interop/mutex');
    expect(after.holder).toBe(label(w1.session));
    expect(after.waiters?.map((w) => w.owner)).toEqual([label(w2.session)]);

    // The old holder's session is still open: opsdeck deleted its node, not its process.
    const cons = execFileSync(process.execPath, ['-e', `const s=require('net').connect(${zk.port},'127.0.0.1',()=>s.write('cons'));s.pipe(process.stdout)`], { encoding: 'utf8' });
    expect(cons).toContain(`sid=${holder.session},`);

    const audit = readFileSync(join(box.env.XDG_STATE_HOME!, 'opsdeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const entry = audit.find((a) => a.command === 'locks release' && a.forced === true);
    expect(entry).toMatchObject({ profile: 'z', exitCode: 0, forced: true, previousHolder: label(holder.session) });
  }, JVM_TEST_MS);
});

describe('a lock taken by opsdeck', () => {
  it('is a lock Curator honours: its client queues behind it and gets in when opsdeck releases', async () => {
    const got = run('locks', 'acquire', 'interop/shared', '--ttl', '60s', '--owner', 'ops-alice', '-o', 'json');
    expect(got.code, got.stderr).toBe(0);
    const p = curator('waiter', '/locks/interop/shared');
    const waiter = await p.next('QUEUED');
    const { ip } = await p.next('READY');
    const v = show('interop/shared');
    expect(v).toMatchObject({ holder: 'ops-alice', reentrancy: 1, token: got.json().token });
    expect(v.waiters?.map((w) => w.owner)).toEqual([ip ? `${waiter.session}@${ip}` : waiter.session]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(p.seen('ACQUIRED')).toEqual([]);
    const released = run('locks', 'release', 'interop/shared', '--owner', 'ops-alice', '-o', 'json');
    expect(released.code, released.stderr).toBe(0);
    expect(released.json()).toMatchObject({ released: true, remaining: 0, forced: false });
    expect(await p.next('ACQUIRED', 30_000)).toEqual({ id: 'waiter', session: waiter.session });
  }, JVM_TEST_MS);
});

describe('Curator InterProcessReadWriteLock', () => {
  it('shows two readers holding, then a waiting writer and a reader queued behind it', async () => {
    const p = curator('rwlock', '/locks/interop/rw');
    const r1 = await p.next('HELD');
    const r2 = await p.next('HELD');
    const writer = await p.next('QUEUED');
    const r3 = await p.next('QUEUED');
    const { ip } = await p.next('READY');
    const label = (session: string) => (ip ? `${session}@${ip}` : session);
    const raw = await rawLine('/locks/interop/rw');
    expect(raw.map((n) => n.name.includes('__WRIT__'))).toEqual([false, false, true, false]);

    const v = show('interop/rw');
    expect(v).toMatchObject({ kind: 'curator-rwlock', holder: `${label(r1.session)},${label(r2.session)}`, token: null });
    expect(v.details!.mode).toBe('read');
    expect(v.waiters?.map((w) => w.owner)).toEqual([label(writer.session), label(r3.session)]);
    expect(v.details!.queue.map((q: { mode: string }) => q.mode)).toEqual(['write', 'read']);
    expect(p.seen('ACQUIRED')).toEqual([]);
  }, JVM_TEST_MS);
});

describe('Curator InterProcessSemaphoreV2', () => {
  it('shows the lease holder and the client waiting for a lease', async () => {
    const p = curator('semaphore', '/locks/interop/sem');
    const a = await p.next('HELD');
    const b = await p.next('QUEUED');
    const { ip } = await p.next('READY');
    const label = (session: string) => (ip ? `${session}@${ip}` : session);
    const leases = await rawLine('/locks/interop/sem/leases');
    expect(leases.map((n) => n.session)).toEqual([a.session, b.session]);

    const v = show('interop/sem');
    expect(v).toMatchObject({ kind: 'curator-semaphore', holder: label(a.session), token: Number(leases[0]!.czxid) });
    expect(v.waiters?.map((w) => w.owner)).toEqual([label(b.session)]);
    expect(v.details).toMatchObject({ leasesHeld: 1, maxLeases: null });
    // The semaphore's internal mutex is part of it, not a lock of its own in the listing.
    const names = run('locks', 'list', '--prefix', 'interop/', '-o', 'json').json<{ locks: View[] }>().locks.map((l) => l.name);
    expect(names).toContain('interop/sem');
    expect(names.filter((n) => n.startsWith('interop/sem/'))).toEqual([]);
  }, JVM_TEST_MS);
});
