import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/zookeeper/index.js';
import { OpsError } from '../../src/core/errors.js';
import { LockRefused } from '../../src/core/lock-refusal.js';
import type { Adapter } from '../../src/core/subsystems.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { freePort } from '../servers/redis-server.js';
import { startZooKeeper, type ZooKeeperServer } from '../servers/zookeeper-server.js';

/** The ZooKeeper adapter against real servers: errors, bounds, 4lw restrictions, and leases that outlive the CLI. */

let zk: ZooKeeperServer;
let raw: Client;
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-zk-adapter-'));
const ctx = { dataDir: dir, version: 'test', name: 'zk' };

const call = <T>(f: (cb: (e: unknown, v?: T) => void) => void) => new Promise<T>((res, rej) => f((e, v) => (e ? rej(e) : res(v as T))));
const mk = (path: string, mode = zookeeper.CreateMode.PERSISTENT, data = '') => call<string>((cb) => raw.create(path, Buffer.from(data), mode, cb));

beforeAll(async () => {
  zk = await startZooKeeper();
  raw = zookeeper.createClient(zk.connect, { sessionTimeout: 30_000 });
  await new Promise<void>((res) => {
    raw.once('connected', () => res());
    raw.connect();
  });
  await mk('/t');
});

afterAll(async () => {
  raw?.close();
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('connecting', () => {
  it('reports an unreachable server as unreachable (exit 3), bounded by connectTimeoutMs', async () => {
    const port = await freePort();
    const err = await connect({ connect: `127.0.0.1:${port}`, connectTimeoutMs: 500 }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('unreachable');
    expect((err as OpsError).hint).toMatch(/connect string/);
  });

  it('an ensemble with a member that never answers still connects, through the others', async () => {
    // A member whose host is down (or whose JVM hangs) takes the TCP connection and then says
    // nothing. The client picks servers in random order, so several tries meet it first.
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const dead = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      for (let i = 0; i < 4; i++) {
        const a = await connect({ connect: `${dead},${dead},${zk.connect}`, connectTimeoutMs: 3000, fourLetterWords: false }, ctx);
        try {
          await a.ping();
        } finally {
          await a.dispose();
        }
      }
    } finally {
      silent.close();
    }
  });

  it('the CLI ends with exit 3 and one line when the server is down', async () => {
    const box = sandbox();
    try {
      const port = await freePort();
      const { writeProfiles } = await import('../interop/support.js');
      writeProfiles(box.env, { dead: { locks: [{ type: 'zookeeper', connect: `127.0.0.1:${port}`, connectTimeoutMs: 500 }] } });
      const r = opsdeck(box.env, ['--profile', 'dead', 'locks', 'show', 'x']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^opsdeck: cannot reach ZooKeeper at 127\.0\.0\.1:\d+/);
    } finally {
      box.cleanup();
    }
  });
});

describe('listing', () => {
  let a: Adapter;
  beforeAll(async () => {
    a = await connect({ connect: zk.connect, root: '/t', maxNodes: 12 }, ctx);
    for (let i = 0; i < 20; i++) await mk(`/t/dir${String(i).padStart(2, '0')}`);
    await mk('/t/dir00/job');
    await mk(`/t/dir00/job/_c_00000000-0000-0000-0000-000000000000-lock-`, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, '10.9.8.7');
  });
  afterAll(async () => a?.dispose());

  it('walks only folders that can match the prefix', async () => {
    const progress: number[] = [];
    const views = await a.locks!.list('dir00/', { onProgress: (n) => progress.push(n) });
    expect(views.map((v) => v.name)).toEqual(['dir00/job']);
    expect(views[0]!.holder).toMatch(/^0x[0-9a-f]+@10\.9\.8\.7$/);
    // Started at /t/dir00, not at the root: two znodes looked at.
    expect(progress.at(-1)).toBe(2);
  });

  it('says so when the znode bound cuts a listing short', async () => {
    const why: string[] = [];
    await a.locks!.list('', { onIncomplete: (w) => why.push(w) });
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(/12-znode bound/);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await a.locks!.list('', { signal: ac.signal }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('failed');
  });
});

describe('acquire', () => {
  let a: Adapter;
  beforeAll(async () => {
    a = await connect({ connect: zk.connect, root: '/t' }, ctx);
  });
  afterAll(async () => a?.dispose());

  it('refuses to take a read-write lock or a semaphore as a mutex', async () => {
    await mk('/t/rw');
    await mk(`/t/rw/_c_00000000-0000-0000-0000-000000000000-__READ__`, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, '10.0.0.1');
    const err = await a.locks!.tryAcquire!('rw', { owner: 'alice', ttlMs: 5000, waitMs: 0 }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('usage');
    expect((err as OpsError).message).toMatch(/read-write lock/);
  });

  it('refuses a lease longer than the server grants sessions, leaving nothing behind', async () => {
    const err = await a.locks!.tryAcquire!('long', { owner: 'alice', ttlMs: 600_000, waitMs: 0 }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('usage');
    // The backend reports the limit as facts; wording it with flags is the command's job.
    expect((err as LockRefused).refusal).toMatchObject({ reason: 'ttl-too-long', maxTtlMs: 120_000, serverSetting: 'maxSessionTimeout' });
    expect((err as OpsError).hint).toBeUndefined();
    expect(await a.locks!.inspect('long')).toBeNull();
  });

  it('refuses a bad name', async () => {
    const err = await a.locks!.tryAcquire!('a//b', { owner: 'alice', ttlMs: 5000, waitMs: 0 }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('usage');
  });
});

describe('a restricted server (only ruok allowed)', () => {
  it('still lists locks, with a note instead of client addresses', async () => {
    const strict = await startZooKeeper({ fourLetterWords: 'ruok' });
    const a = await connect({ connect: strict.connect, root: '/l' }, ctx);
    try {
      await a.locks!.tryAcquire!('job', { owner: 'alice', ttlMs: 10_000, waitMs: 0 });
      const v = (await a.locks!.inspect('job'))!;
      expect(v.holder).toBe('alice');
      expect(v.details!.client).toBeNull();
      expect(v.details!.clientNote).toMatch(/does not allow cons \(add it to 4lw\.commands\.whitelist\)/);
      // srvr is always allowed (zkServer.sh needs it), so the version still shows.
      expect((await a.ping()).version).toMatch(/^3\.8\./);
    } finally {
      await a.dispose();
      await strict.stop();
    }
  });
});

describe('the CLI (one process per command)', () => {
  it('a lock taken by one opsdeck process is held after it exits, until its lease ends', async () => {
    const box = sandbox();
    try {
      const { writeProfiles } = await import('../interop/support.js');
      writeProfiles(box.env, { z: { locks: [{ type: 'zookeeper', connect: zk.connect, root: '/cli' }] } });
      const run = (...args: string[]) => opsdeck(box.env, ['--profile', 'z', ...args]);
      const got = run('locks', 'acquire', 'deploy/orders', '--ttl', '3s', '--owner', 'alice', '-o', 'json');
      expect(got.code, got.stderr).toBe(0);
      expect(got.json()).toMatchObject({ name: 'deploy/orders', holder: 'alice', token: expect.any(Number) });
      const shown = run('locks', 'show', 'deploy/orders', '-o', 'json');
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.json().locks[0]).toMatchObject({ holder: 'alice', kind: 'curator-mutex', reentrancy: 1, expiresAt: got.json().expiresAt });
      const other = run('locks', 'acquire', 'deploy/orders', '--owner', 'bob');
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/held by alice/);
      const long = run('locks', 'acquire', 'deploy/long', '--ttl', '10m');
      expect(long.code).toBe(2);
      expect(long.stderr.trim()).toMatch(/^opsdeck: ZooKeeper grants sessions of at most 120000 ms \(its maxSessionTimeout\), and an opsdeck lease is a session \(hint: use --ttl 120s or less, or raise maxSessionTimeout on the server\)$/);
      // The server ends the abandoned session once the lease runs out.
      const until = Date.now() + 20_000;
      while (run('locks', 'show', 'deploy/orders', '-o', 'json').code === 0) {
        if (Date.now() > until) throw new Error('the lease never ended');
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(run('locks', 'acquire', 'deploy/orders', '--owner', 'bob').code).toBe(0);
    } finally {
      box.cleanup();
    }
  }, 60_000);
});
