import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/adapters/redis/index.js';
import type { LockBackend } from '../../src/core/subsystems.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';
import { describeLockConformance, type LockHarness } from './lock-suite.js';

async function harness(servers: RedisServer[]): Promise<LockHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-redis-conf-'));
  const options = servers.length === 1 ? { url: servers[0]!.url } : { urls: servers.map((s) => s.url) };
  const adapter = await connect(options, { dataDir: dir, version: 'test', name: 'redis' });
  // The probes are separate plain clients that read the keys themselves.
  const probes = servers.map((s) => new Redis(s.port, '127.0.0.1'));
  return {
    backend: adapter.locks as Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend,
    probe: {
      async holder(name) {
        if (probes.length === 1) {
          const fields = Object.keys(await probes[0]!.hgetall(name));
          return fields.length === 1 ? fields[0]! : null;
        }
        const values = await Promise.all(probes.map((p) => p.get(name)));
        const counts = new Map<string, number>();
        for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
        const top = [...counts].find(([, c]) => c >= Math.floor(probes.length / 2) + 1);
        return top ? top[0] : null;
      },
    },
    minTtlMs: 300,
    fencing: servers.length === 1,
    async dispose() {
      await adapter.dispose();
      probes.forEach((p) => p.disconnect());
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeLockConformance('redis (Redisson-compatible layout, real redis-server)', async () => harness([await startRedis()]));

describeLockConformance('redis Redlock group of 3 real redis-servers', async () => harness(await Promise.all([startRedis(), startRedis(), startRedis()])), {
  reentrant: 'Redlock keys hold a token, not a hold count, so the same owner cannot take it twice',
  fencing: 'Redlock stores no fencing token',
  fifo: 'Redlock keeps no queue; waiters retry',
});

describeLockConformance(
  'redis plain SET NX PX layout (layout: plain)',
  async () => {
    const server = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-redis-plain-'));
    const adapter = await connect({ url: server.url, layout: 'plain' }, { dataDir: dir, version: 'test', name: 'redis' });
    const probe = new Redis(server.port, '127.0.0.1');
    return {
      backend: adapter.locks as Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend,
      probe: { holder: (name) => probe.get(name) },
      minTtlMs: 300,
      fencing: false,
      async dispose() {
        await adapter.dispose();
        probe.disconnect();
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  {
    reentrant: 'a plain SET NX value carries no hold count',
    fencing: 'a plain SET NX value carries no fencing token',
    fifo: 'plain SET NX keeps no queue; waiters retry',
  },
);
