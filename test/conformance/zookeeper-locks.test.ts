import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { connect } from '../../src/adapters/zookeeper/index.js';
import type { LockBackend } from '../../src/core/subsystems.js';
import { sharedZooKeeper } from '../servers/zookeeper-server.js';
import { describeLockConformance, type LockHarness } from './lock-suite.js';

/**
 * The lock suite against a real ZooKeeper 3.8. The probe is its own ZooKeeper session that reads
 * the lock znode's children the way a Curator client does (lowest `-lock-` sequence holds) and
 * takes the owner from the holder node's data, so the adapter cannot pass by agreeing with itself.
 * TTL works because an opsdeck lease is a ZooKeeper session the server expires; fencing tokens are
 * the holder node's czxid.
 */
describeLockConformance('zookeeper (Curator mutex layout, real ZooKeeper 3.8)', async (): Promise<LockHarness> => {
  // The run's shared ZooKeeper; a root of this file's own keeps its locks apart from other files'.
  const server = await sharedZooKeeper();
  const root = `/conformance-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-zk-conf-'));
  const adapter = await connect({ connect: server.connect, root }, { dataDir: dir, version: 'test', name: 'zk' });
  const probe = zookeeper.createClient(server.connect, { sessionTimeout: 10_000 });
  await new Promise<void>((resolve) => {
    probe.once('connected', () => resolve());
    probe.connect();
  });
  const children = (path: string) =>
    new Promise<string[]>((resolve, reject) => probe.getChildren(path, undefined, (e, c) => (e ? (e.getCode() === zookeeper.Exception.NO_NODE ? resolve([]) : reject(e)) : resolve(c))));
  const data = (path: string) =>
    new Promise<Buffer | null>((resolve, reject) => probe.getData(path, undefined, (e, d) => (e ? (e.getCode() === zookeeper.Exception.NO_NODE ? resolve(null) : reject(e)) : resolve(d ?? Buffer.alloc(0)))));
  return {
    backend: adapter.locks as Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend,
    probe: {
      async holder(name) {
        const path = `${root}/${name}`;
        const line = (await children(path)).filter((c) => /-lock-\d+$/.test(c)).sort((a, b) => Number(a.split('-lock-')[1]) - Number(b.split('-lock-')[1]));
        if (line.length === 0) return null;
        const d = await data(`${path}/${line[0]}`);
        if (d === null) return this.holder(name);
        return (JSON.parse(d.toString('utf8')) as { owner: string }).owner;
      },
    },
    minTtlMs: server.minSessionMs,
    fencing: true,
    async dispose() {
      await adapter.dispose();
      probe.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
