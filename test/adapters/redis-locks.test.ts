import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/redis/index.js';
import { OpsError } from '../../src/core/errors.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function profile(yaml: string): void {
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), yaml);
}

describe('redis lock forensics on a real server', () => {
  let server: RedisServer;
  let raw: Redis;
  beforeAll(async () => {
    server = await startRedis();
    raw = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    raw.disconnect();
    await server.stop();
  });

  it('recognises plain SET NX values of redis-py, Spring, ShedLock and others, with TTL and since', async () => {
    await raw.set('f/shed', 'ADDED:2026-11-25T10:00:00.123Z@batch-host-1:3f2a', 'PX', 60_000);
    await raw.set('f/py', '6d5c3f1a2b3c11ef9a1b0242ac120002', 'PX', 60_000);
    await raw.set('f/spring', '2b1f8a0e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', 'PX', 60_000);
    await raw.set('f/plain', 'worker-7@host:4242', 'PX', 60_000);
    await raw.set('f/counter', '42');
    profile(`profiles:\n  r:\n    locks: [{type: redis, url: "${server.url}"}]\n`);
    const list = opsdeck(box.env, ['--profile', 'r', 'locks', 'list', '--prefix', 'f/']).json().locks;
    const byName = Object.fromEntries(list.map((v: { name: string }) => [v.name, v]));
    expect(Object.keys(byName).sort()).toEqual(['f/plain', 'f/py', 'f/shed', 'f/spring']);
    expect(byName['f/shed']).toMatchObject({ backend: 'redis', kind: 'shedlock-redis', holder: 'batch-host-1:3f2a', acquiredAt: '2026-11-25T10:00:00.123Z', reentrancy: null, waiters: null, token: null });
    expect(byName['f/py']).toMatchObject({ kind: 'redis-py', holder: '6d5c3f1a2b3c11ef9a1b0242ac120002' });
    expect(byName['f/spring']).toMatchObject({ kind: 'spring-redis' });
    expect(byName['f/plain']).toMatchObject({ kind: 'plain', holder: 'worker-7@host:4242', acquiredAt: null });
    expect(byName['f/plain'].ttlMs).toBeGreaterThan(50_000);
    expect(Date.parse(byName['f/plain'].expiresAt) - Date.now()).toBeGreaterThan(50_000);
    // Asked by name, a bare integer is read as a Redisson semaphore's free permits.
    expect(opsdeck(box.env, ['--profile', 'r', 'locks', 'show', 'f/counter']).json().locks[0]).toMatchObject({ kind: 'redisson-semaphore', holder: null, details: { freePermits: 42 } });
  });

  it('shows a free fair lock with queued waiters, and never lists companion keys as locks', async () => {
    const t = Date.now() + 30_000;
    await raw.rpush('redisson_lock_queue:{jobs/q}', 'a-uuid:1', 'b-uuid:2');
    await raw.zadd('redisson_lock_timeout:{jobs/q}', t, 'a-uuid:1', t + 5000, 'b-uuid:2');
    profile(`profiles:\n  r:\n    locks: [{type: redis, url: "${server.url}"}]\n`);
    const [view] = opsdeck(box.env, ['--profile', 'r', 'locks', 'list', '--prefix', 'jobs/']).json().locks;
    expect(view).toMatchObject({ name: 'jobs/q', kind: 'redisson-fair-lock', holder: null });
    expect(view.waiters).toEqual([
      { owner: 'a-uuid:1', since: null, until: new Date(t).toISOString() },
      { owner: 'b-uuid:2', since: null, until: new Date(t + 5000).toISOString() },
    ]);
    expect(opsdeck(box.env, ['--profile', 'r', 'locks', 'list', '--prefix', 'redisson_']).json().locks).toEqual([]);
  });

  it('force release deletes a plain lock only while the shown value still holds it', async () => {
    await raw.set('f/force', 'old-owner', 'PX', 60_000);
    profile(`profiles:\n  r:\n    locks: [{type: redis, url: "${server.url}"}]\n`);
    const wrong = opsdeck(box.env, ['--profile', 'r', 'locks', 'release', 'f/force', '--force', '--owner', 'someone-else', '--yes']);
    expect(wrong.code).toBe(1);
    expect(await raw.get('f/force')).toBe('old-owner');
    expect(opsdeck(box.env, ['--profile', 'r', 'locks', 'release', 'f/force', '--force', '--yes']).json()).toMatchObject({ forced: true, previousHolder: 'old-owner' });
    expect(await raw.exists('f/force')).toBe(0);
  });

  /** Absurd leases (probe 1): refused before anything is written, and read back safely when another client wrote one. */
  const cli = (...args: string[]) => {
    profile(`profiles:\n  r:\n    locks: [{type: redis, url: "${server.url}"}]\n`);
    return opsdeck(box.env, ['--profile', 'r', ...args]);
  };

  it('a TTL past the bound is a usage error naming the maximum, and nothing is written', async () => {
    for (const ttl of ['99999999999d', '9007199254740993ms', '25d']) {
      const r = cli('locks', 'acquire', 'huge/L', '--ttl', ttl, '--owner', 'alice');
      expect(r.code, ttl).toBe(2);
      expect(r.stderr.trim()).toBe(`opsdeck: --ttl must be at most 24d, not "${ttl}" (hint: give a duration above zero, up to 24d)`);
    }
    expect(await raw.exists('huge/L')).toBe(0);
    expect(cli('locks', 'acquire', 'huge/L', '--ttl', '24d', '--owner', 'bob').code).toBe(0);
    expect(await raw.pttl('huge/L')).toBeGreaterThan(24 * 86_400_000 - 60_000);
  });

  it('the acquire script refuses a lease PEXPIRE cannot take before writing, so no lock is left without expiry', async () => {
    const adapter = await connect({ url: server.url }, { dataDir: box.dir, version: 'test', name: 'redis' });
    try {
      // What the CLI refuses: called directly, the script must still fail without a trace.
      for (const ttlMs of [99_999_999_999 * 86_400_000, 9_007_199_254_740_993, 1500.5]) {
        const err = await adapter.locks!.tryAcquire!('huge/direct', { owner: 'alice', ttlMs, waitMs: 0 }).catch((e: unknown) => e);
        expect(err, String(ttlMs)).toBeInstanceOf(OpsError);
        expect((err as OpsError).message).toMatch(/lease must be a whole number of milliseconds/);
        expect(await raw.exists('huge/direct')).toBe(0);
      }
      // Reentrant path too: alice holds it, and a bad renewal leaves her lease as it was.
      await adapter.locks!.tryAcquire!('huge/direct', { owner: 'alice', ttlMs: 60_000, waitMs: 0 });
      await adapter.locks!.tryAcquire!('huge/direct', { owner: 'alice', ttlMs: 99_999_999_999 * 86_400_000, waitMs: 0 }).catch(() => undefined);
      expect(await raw.hget('huge/direct', 'alice')).toBe('1');
      expect(await raw.pttl('huge/direct')).toBeGreaterThan(0);
      expect(await raw.pttl('huge/direct')).toBeLessThanOrEqual(60_000);
    } finally {
      await adapter.dispose();
    }
  });

  it('a lock another client wrote with a TTL no Date can hold still lists, shows, refuses others and force-releases', async () => {
    await raw.hset('huge/foreign', '6f1c7a2e-0b4d-4c7e-9a55-2f0d1e3c4b5a:1', '1');
    await raw.pexpire('huge/foreign', 9_007_199_254_740_991);
    const listed = cli('locks', 'list', '--prefix', 'huge/', '-o', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    const view = listed.json().locks.find((v: { name: string }) => v.name === 'huge/foreign');
    expect(view).toMatchObject({ holder: '6f1c7a2e-0b4d-4c7e-9a55-2f0d1e3c4b5a:1', expiresAt: null });
    expect(view.ttlMs).toBeGreaterThan(9e15);
    expect(cli('locks', 'show', 'huge/foreign', '-o', 'table').code).toBe(0);
    const other = cli('locks', 'acquire', 'huge/foreign', '--owner', 'bob');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^opsdeck: lock huge\/foreign is held by 6f1c7a2e-0b4d-4c7e-9a55-2f0d1e3c4b5a:1 \(hint: queue for it with --wait 30s/);
    const forced = cli('locks', 'release', 'huge/foreign', '--force', '--yes', '-o', 'json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json()).toMatchObject({ forced: true, previousHolder: '6f1c7a2e-0b4d-4c7e-9a55-2f0d1e3c4b5a:1' });
    expect(await raw.exists('huge/foreign')).toBe(0);
  });

  it('reconnects after the server restarts, reporting "unreachable" meanwhile', async () => {
    const own = await startRedis();
    const adapter = await connect({ url: own.url, connectTimeoutMs: 500, commandTimeoutMs: 1000 }, { dataDir: box.dir, version: 'test', name: 'redis' });
    try {
      await adapter.locks!.tryAcquire!('r/x', { owner: 'a', ttlMs: 60_000, waitMs: 0 });
      const port = own.port;
      await own.stop();
      const down = await adapter.locks!.inspect('r/x').catch((e: unknown) => e);
      expect(down).toBeInstanceOf(OpsError);
      expect((down as OpsError).kind).toBe('unreachable');
      const again = await startRedis(['--port', String(port)]);
      try {
        const deadline = Date.now() + 10_000;
        let ok = false;
        while (!ok && Date.now() < deadline) {
          ok = await adapter.locks!.inspect('r/x').then(() => true, () => false);
          if (!ok) await new Promise((r) => setTimeout(r, 100));
        }
        expect(ok).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      await adapter.dispose();
    }
  }, 30_000);
});

describe('redis connection details', () => {
  it('authenticates with a password from ${ENV}; a wrong one exits 3 with one clear line', async () => {
    const s = await startRedis(['--requirepass', 'sekrit-pw']);
    try {
      profile(`profiles:\n  r:\n    locks: [{type: redis, url: "${s.url}", password: "\${OPSDECK_REDIS_PW}"}]\n`);
      const ok = opsdeck({ ...box.env, OPSDECK_REDIS_PW: 'sekrit-pw' }, ['--profile', 'r', 'locks', 'acquire', 'a/b', '--owner', 'x']);
      expect(ok.code).toBe(0);
      const bad = opsdeck({ ...box.env, OPSDECK_REDIS_PW: 'nope' }, ['--profile', 'r', 'locks', 'list']);
      expect(bad.code).toBe(3);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/refused the credentials/);
      expect(bad.stderr).not.toContain('nope');
      const status = opsdeck({ ...box.env, OPSDECK_REDIS_PW: 'sekrit-pw' }, ['--profile', 'r', 'status']).json();
      expect(status[0]).toMatchObject({ subsystem: 'locks', backend: 'redis', reachable: true });
      expect(status[0].version).toMatch(/^\d+\.\d+/);
    } finally {
      await s.stop();
    }
  });

  it('a Redlock group without a majority of nodes answering is unreachable (exit 3), not "not held"', () => {
    profile('profiles:\n  r:\n    locks: [{type: redis, urls: ["redis://127.0.0.1:1", "redis://127.0.0.1:2", "redis://127.0.0.1:3"], connectTimeoutMs: 300}]\n');
    for (const args of [['locks', 'show', 'x'], ['locks', 'release', 'x', '--owner', 'a']]) {
      const r = opsdeck(box.env, ['--profile', 'r', ...args]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/only 0 of 3 Redlock nodes answered; 2 are needed/);
    }
  });

  it('an unreachable server exits 3 with the URL (password masked) and a next step', () => {
    profile('profiles:\n  r:\n    locks: [{type: redis, url: "redis://:hunter2@127.0.0.1:1", connectTimeoutMs: 500}]\n');
    const r = opsdeck(box.env, ['--profile', 'r', 'locks', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^opsdeck: redis redis:\/\/:\*\*\*@127\.0\.0\.1:1 is unreachable/);
    expect(r.stderr).not.toContain('hunter2');
    expect(opsdeck(box.env, ['--profile', 'r', 'status']).code).toBe(3);
  });
});

describe('redis cluster', () => {
  const servers: RedisServer[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) servers.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${i}.conf`]));
    execFileSync('redis-cli', ['--cluster', 'create', ...servers.map((s) => `127.0.0.1:${s.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
    // Wait until every node agrees the cluster is up.
    for (const s of servers) {
      const c = new Redis(s.port, '127.0.0.1');
      const deadline = Date.now() + 15_000;
      while (!/cluster_state:ok/.test(String(await c.cluster('INFO')))) {
        if (Date.now() > deadline) throw new Error('cluster did not come up');
        await new Promise((r) => setTimeout(r, 100));
      }
      c.disconnect();
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('scans every master, and acquires and releases with slot-safe companion keys', async () => {
    const adapter = await connect({ url: servers[0]!.url, cluster: true }, { dataDir: box.dir, version: 'test', name: 'cluster' });
    try {
      const names = Array.from({ length: 12 }, (_, i) => `c/lock-${i}`);
      for (const n of names) await adapter.locks!.tryAcquire!(n, { owner: `w-${n}`, ttlMs: 60_000, waitMs: 0 });
      const listed = await adapter.locks!.list('c/');
      expect(listed.map((v) => v.name).sort()).toEqual([...names].sort());
      // The keys really are spread over several masters.
      const perNode = await Promise.all(
        servers.map(async (s) => {
          const c = new Redis(s.port, '127.0.0.1');
          const n = (await c.keys('c/*')).length;
          c.disconnect();
          return n;
        }),
      );
      expect(perNode.filter((n) => n > 0).length).toBeGreaterThan(1);
      const r = await adapter.locks!.release!('c/lock-3', 'w-c/lock-3');
      expect(r.remaining).toBe(0);
      expect(await adapter.locks!.inspect('c/lock-3')).toBeNull();
    } finally {
      await adapter.dispose();
    }
  }, 30_000);
});

describe('listing a big keyspace', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    const raw = new Redis(server.port, '127.0.0.1');
    for (let i = 0; i < 20; i++) {
      const p = raw.pipeline();
      for (let j = 0; j < 1000; j++) p.set(`big/k-${i}-${j}`, `owner-${j}`, 'PX', 600_000);
      await p.exec();
    }
    raw.disconnect();
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  it('warns, and still answers, when the time bound stops the scan early', () => {
    profile(`profiles:\n  r:\n    locks: [{type: redis, url: "${server.url}", scanCount: 10, scanTimeMs: 50}]\n`);
    const r = opsdeck(box.env, ['--profile', 'r', 'locks', 'list', '--prefix', 'big/']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^opsdeck: warning: redis: listing incomplete, stopped by the 50 ms time bound after \d+ keys; narrow it with --prefix$/m);
    // The cut is in the data too, where a -o json reader looks.
    expect(r.json()).toMatchObject({ complete: false, stoppedBy: 'time', backends: [{ backend: 'redis', complete: false, stoppedBy: 'time', error: null }] });
    const found = r.json().locks.length;
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(20_000);
  });

  it('cancelling stops a listing at once, even while the server is not answering', async () => {
    const adapter = await connect({ url: server.url, scanCount: 1, scanTimeMs: 600_000, commandTimeoutMs: 120_000 }, { dataDir: box.dir, version: 'test', name: 'redis' });
    const pauser = new Redis(server.port, '127.0.0.1');
    const ac = new AbortController();
    let paused = false;
    let pausedAt = 0;
    const PAUSE_MS = 8000;
    try {
      const listing = adapter.locks!.list('big/', {
        signal: ac.signal,
        // After the first batch the scan is under way: freeze the server, then cancel (as Ctrl-C does).
        onProgress: () => {
          if (paused) return;
          paused = true;
          void pauser.client('PAUSE', PAUSE_MS, 'ALL').then(() => {
            pausedAt = Date.now();
            ac.abort();
          });
        },
      });
      const err = await listing.catch((e: unknown) => e);
      // It gave up while the server was still frozen, rather than waiting for an answer.
      expect(Date.now() - pausedAt).toBeLessThan(PAUSE_MS);
      expect(paused).toBe(true);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('failed');
      expect((err as OpsError).message).toBe('the scan was cancelled; nothing was changed');
    } finally {
      // The pause ends by itself; cleaning up waits for it.
      await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + PAUSE_MS - Date.now())));
      pauser.disconnect();
      await adapter.dispose();
    }
  }, 30_000);
});
