import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/etcd/index.js';
import { OpsError } from '../../src/core/errors.js';
import type { Adapter, LockBackend } from '../../src/core/subsystems.js';
import { freePort } from '../servers/redis-server.js';
import { startEtcd, type EtcdServer } from '../servers/etcd-server.js';

type FullLocks = Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend;

const dirs: string[] = [];
async function adapterFor(options: Record<string, unknown>): Promise<Adapter> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-etcd-'));
  dirs.push(dir);
  return connect(options, { dataDir: dir, version: 'test', name: 'etcd-test' });
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `etcdctl lock NAME`: the official Go client (concurrency.Mutex); it prints its key once it holds the lock. */
class CtlLock {
  readonly child: ChildProcess;
  private out = '';
  private err = '';
  constructor(server: EtcdServer, name: string, extra: string[] = []) {
    this.child = spawn('etcdctl', [...server.ctlArgs, ...extra, 'lock', name], { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Only stdout carries the key; stderr (which may hold URLs) is kept for failure messages.
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.err += d));
  }
  /** The key it holds, once it holds the lock. */
  async acquiredKey(timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.out.split('\n').find((l) => l.includes('/'));
      if (line) return line.trim();
      if (this.child.exitCode !== null) throw new Error(`etcdctl lock exited: ${this.out}${this.err}`);
      if (Date.now() > deadline) throw new Error(`etcdctl lock never acquired: ${this.out}${this.err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  holds(): boolean {
    return this.out.includes('/');
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/** Contender keys under NAME/ as etcd itself orders them (oldest create_revision first), via etcdctl. */
async function contenderKeys(server: EtcdServer, name: string): Promise<string[]> {
  const out = await server.ctl(['get', '--prefix', `${name}/`, '--keys-only', '--sort-by=CREATE', '--order=ASCEND']);
  return out.split('\n').filter((l) => l.trim() !== '');
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('etcd locks: interop with the real Go client (etcdctl lock)', () => {
  let server: EtcdServer;
  let adapter: Adapter;
  let locks: FullLocks;
  const ctls: CtlLock[] = [];
  beforeAll(async () => {
    server = await startEtcd();
    adapter = await adapterFor({ url: server.url });
    locks = adapter.locks as FullLocks;
  });
  afterAll(async () => {
    await Promise.all(ctls.map((c) => c.stop()));
    await adapter?.dispose();
    await server?.stop();
  });
  const ctlLock = (name: string, extra: string[] = []) => {
    const c = new CtlLock(server, name, extra);
    ctls.push(c);
    return c;
  };

  it('reports the etcdctl holder and its two waiters in queue order, with the lease TTL', async () => {
    const name = 'interop/queue';
    const holder = ctlLock(name, ['--ttl', '30']);
    const heldKey = await holder.acquiredKey();
    const first = ctlLock(name);
    await until('the first waiter to queue', async () => (await contenderKeys(server, name)).length === 2);
    const second = ctlLock(name);
    await until('the second waiter to queue', async () => (await contenderKeys(server, name)).length === 3);
    const keys = await contenderKeys(server, name);
    expect(keys[0]).toBe(heldKey);

    const view = await locks.inspect(name);
    expect(view).not.toBeNull();
    // Go's Mutex stores an empty value, so the holder is named by its session lease id.
    expect(`${name}/${view!.holder}`).toBe(heldKey);
    expect(view!.waiters!.map((w) => `${name}/${w.owner}`)).toEqual(keys.slice(1));
    expect(view!.kind).toBe('etcd-mutex');
    expect(view!.details?.grantedTtlS).toBe(30);
    expect(view!.ttlMs).toBeGreaterThan(0);
    expect(view!.ttlMs).toBeLessThanOrEqual(30_000);
    expect(view!.acquiredAt).toBeNull();
    expect(first.holds() || second.holds()).toBe(false);

    const listed = await locks.list('interop/');
    expect(listed.map((v) => v.name)).toEqual([name]);
    expect(listed[0]!.waiters!.length).toBe(2);

    // A try-once acquire by opsdeck is refused and leaves no key behind.
    const refused = await locks.tryAcquire(name, { owner: 'opsdeck', ttlMs: 10_000, waitMs: 0 }).catch((e: unknown) => e);
    expect((refused as OpsError).kind).toBe('conflict');
    expect(await contenderKeys(server, name)).toEqual(keys);

    // Force release of the holder shown lets the first waiter (and only it) in.
    const forced = await locks.forceRelease(name, { holder: view!.holder, token: view!.token });
    expect(forced.previousHolder).toBe(view!.holder);
    expect(await first.acquiredKey()).toBe(keys[1]);
    expect(second.holds()).toBe(false);
    const after = await locks.inspect(name);
    expect(`${name}/${after!.holder}`).toBe(keys[1]);
    expect(after!.waiters!.map((w) => `${name}/${w.owner}`)).toEqual([keys[2]]);
    // The old holder's process is still running: force release does not stop it.
    expect(holder.child.exitCode).toBeNull();
  });

  it('a stale force release (the holder changed since it was shown) deletes nothing', async () => {
    const name = 'interop/stale';
    const a = ctlLock(name);
    await a.acquiredKey();
    const shown = (await locks.inspect(name))!;
    await a.stop();
    const b = ctlLock(name);
    const bKey = await b.acquiredKey();
    const err = await locks.forceRelease(name, { holder: shown.holder, token: shown.token }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('conflict');
    expect((await contenderKeys(server, name))[0]).toBe(bKey);
  });

  it('etcdctl lock queues behind an opsdeck holder and gets the lock when opsdeck releases', async () => {
    const name = 'interop/opsdeck-first';
    const got = await locks.tryAcquire(name, { owner: 'ops@deck', ttlMs: 30_000, waitMs: 0 });
    expect(typeof got.token).toBe('number');
    const waiter = ctlLock(name);
    await until('etcdctl to queue', async () => (await contenderKeys(server, name)).length === 2);
    const view = (await locks.inspect(name))!;
    expect(view.holder).toBe('ops@deck');
    expect(view.token).toBe(got.token);
    expect(view.waiters).toHaveLength(1);
    expect(waiter.holds()).toBe(false);
    await locks.release(name, 'ops@deck');
    const key = await waiter.acquiredKey();
    expect(`${name}/${view.waiters![0]!.owner}`).toBe(key);
  });

  it('an opsdeck --wait acquire queues behind etcdctl, in order, and times out as a conflict', async () => {
    const name = 'interop/opsdeck-waits';
    const holder = ctlLock(name);
    await holder.acquiredKey();
    const timedOut = await locks.tryAcquire(name, { owner: 'impatient', ttlMs: 10_000, waitMs: 300 }).catch((e: unknown) => e);
    expect((timedOut as OpsError).kind).toBe('conflict');
    expect(await contenderKeys(server, name)).toHaveLength(1);
    const waiting = locks.tryAcquire(name, { owner: 'patient', ttlMs: 10_000, waitMs: 15_000 });
    await until('opsdeck to queue', async () => (await contenderKeys(server, name)).length === 2);
    expect((await locks.inspect(name))!.waiters!.map((w) => w.owner)).toEqual(['patient']);
    await holder.stop();
    const got = await waiting;
    expect(got.holder).toBe('patient');
    expect((await locks.inspect(name))!.holder).toBe('patient');
  });

  it('a cancelled wait leaves the queue', async () => {
    const name = 'interop/cancelled';
    await locks.tryAcquire(name, { owner: 'holder', ttlMs: 30_000, waitMs: 0 });
    const ac = new AbortController();
    const waiting = locks.tryAcquire(name, { owner: 'quitter', ttlMs: 30_000, waitMs: 15_000, signal: ac.signal }).catch((e: unknown) => e);
    await until('the waiter to queue', async () => (await contenderKeys(server, name)).length === 2);
    ac.abort();
    const err = (await waiting) as OpsError;
    expect(err.kind).toBe('failed');
    expect(await contenderKeys(server, name)).toHaveLength(1);
  });

  it('a wait whose signal was aborted before it queued ends at once, not at its deadline', async () => {
    const name = 'interop/cancelled-early';
    await locks.tryAcquire(name, { owner: 'holder', ttlMs: 30_000, waitMs: 0 });
    const ac = new AbortController();
    ac.abort();
    // Ten minutes of wait: a wait that missed the abort would outlive the test's time limit.
    const err = (await locks.tryAcquire(name, { owner: 'late', ttlMs: 30_000, waitMs: 600_000, signal: ac.signal }).catch((e: unknown) => e)) as OpsError;
    expect(err).toBeInstanceOf(OpsError);
    expect(err.kind).toBe('failed');
    expect(await contenderKeys(server, name)).toHaveLength(1);
  });

  it('a huge value is refused by the size cap, not read into memory', async () => {
    const small = (await adapterFor({ url: server.url, maxResponseBytes: 4096 })).locks as FullLocks;
    await locks.tryAcquire('interop/huge', { owner: 'x'.repeat(20_000), ttlMs: 30_000, waitMs: 0 });
    const err = await small.inspect('interop/huge').catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('bad-answer');
    expect((err as OpsError).message).toMatch(/more than 4096 bytes/);
    // The default cap reads it, and the label is cut short for display.
    expect((await locks.inspect('interop/huge'))!.holder!.length).toBeLessThan(300);
  });
});

describe('etcd auth: a token in the raw Authorization header', () => {
  let server: EtcdServer;
  beforeAll(async () => {
    server = await startEtcd({ auth: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logs in with username and password and reads and writes locks', async () => {
    const a = await adapterFor({ url: server.url, username: 'root', password: server.rootPassword });
    const l = a.locks as FullLocks;
    expect((await a.ping()).version).toMatch(/^3\.4\./);
    await l.tryAcquire('auth/one', { owner: 'alice', ttlMs: 30_000, waitMs: 0 });
    expect((await l.inspect('auth/one'))!.holder).toBe('alice');
    // etcdctl with the same credentials sees the key opsdeck wrote.
    expect(await server.ctl(['get', '--prefix', 'auth/one/', '--print-value-only'])).toContain('alice');
  });

  it('takes credentials written into the url (user:password@host) as the login', async () => {
    const u = new URL(server.url);
    u.username = 'root';
    u.password = server.rootPassword!;
    const l = (await adapterFor({ url: u.toString() })).locks as FullLocks;
    await l.tryAcquire('auth/in-url', { owner: 'carol', ttlMs: 30_000, waitMs: 0 });
    expect((await l.inspect('auth/in-url'))!.holder).toBe('carol');
  });

  it('logs in again when the server drops the token (a password change invalidates it)', async () => {
    const a = await adapterFor({ url: server.url, username: 'root', password: server.rootPassword });
    const l = a.locks as FullLocks;
    await l.tryAcquire('auth/relogin', { owner: 'bob', ttlMs: 30_000, waitMs: 0 });
    // Setting the same password again makes etcd forget every token of that user.
    await server.ctl(['user', 'passwd', 'root', '--interactive=false'], `${server.rootPassword}\n`);
    expect((await l.inspect('auth/relogin'))!.holder).toBe('bob');
    expect((await l.release('auth/relogin', 'bob')).released).toBe(true);
  });

  it('without credentials, or with a wrong password, fails as unauthorized (exit 3)', async () => {
    const none = (await adapterFor({ url: server.url })).locks!;
    const e1 = (await none.list('').catch((e: unknown) => e)) as OpsError;
    expect(e1.kind).toBe('unauthorized');
    expect(e1.hint).toMatch(/username and password/);
    const wrong = await adapterFor({ url: server.url, username: 'root', password: 'not-it' });
    const e2 = (await wrong.locks!.inspect('auth/one').catch((e: unknown) => e)) as OpsError;
    expect(e2.kind).toBe('unauthorized');
    expect(e2.message).not.toContain('not-it');
    expect(((await wrong.ping().catch((e: unknown) => e)) as OpsError).kind).toBe('unauthorized');
  });
});

describe('etcd adapter: unreachable and silent servers', () => {
  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    // Accepts connections and never answers: a hung member or a black-holing proxy.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    silent.close();
  });

  it('a closed port is unreachable', async () => {
    const port = await freePort();
    const a = await adapterFor({ url: `http://127.0.0.1:${port}` });
    const err = (await a.locks!.list('').catch((e: unknown) => e)) as OpsError;
    expect(err).toBeInstanceOf(OpsError);
    expect(err.kind).toBe('unreachable');
    expect(err.hint).toMatch(/etcd is up/);
  });

  it('credentials written into the url never reach an error message', async () => {
    const port = await freePort();
    const a = await adapterFor({ url: `http://root:pw-in-url@127.0.0.1:${port}` });
    const err = (await a.locks!.list('').catch((e: unknown) => e)) as OpsError;
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(`${err.message} ${err.hint}`).not.toContain('pw-in-url');
  });

  it('a server that never answers times out within timeoutMs', async () => {
    const a = await adapterFor({ url: `http://127.0.0.1:${silentPort}`, timeoutMs: 300 });
    const err = (await a.locks!.inspect('x').catch((e: unknown) => e)) as OpsError;
    expect(err.kind).toBe('timeout');
  });

  it('bad profile entries are config errors with a next step', async () => {
    for (const bad of [{}, { url: 'etcd:2379' }, { url: 'http://h:2379', username: 'u' }, { url: 'http://h:2379', timeoutMs: -1 }]) {
      const err = (await adapterFor(bad).catch((e: unknown) => e)) as OpsError;
      expect(err.kind).toBe('config');
      expect(err.hint).toBeTruthy();
    }
  });
});
