import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/adapters/zookeeper/index.js';
import type { ConfigBackend } from '../../src/core/config-center.js';
import { rawZkClient, sharedZooKeeper } from '../servers/zookeeper-server.js';
import { describeConfigConformance } from './config-suite.js';
import { data } from '../adapters/zookeeper-support.js';

/**
 * The config suite against a real ZooKeeper 3.8, in Spring Cloud Zookeeper config's tree (a data id
 * is the key's path below the root, here /conf-config). The probe is its own ZooKeeper session
 * reading the key node's data.
 */
describeConfigConformance(
  'zookeeper (Spring Cloud Zookeeper config, real ZooKeeper 3.8)',
  async () => {
    const server = await sharedZooKeeper();
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-zkcfg-conf-'));
    const adapter = await connect({ connect: server.connect, configRoot: '/conf-config' }, { dataDir: dir, version: 'test', name: 'zk' });
    const probe = await rawZkClient(server.connect);
    return {
      backend: adapter.config as ConfigBackend,
      probe: {
        async content(ref) {
          const d = await data(probe, `${ref.scope.prefix ?? '/conf-config'}/${ref.dataId}`);
          return d === null ? null : d.toString('utf8');
        },
      },
      scope: { prefix: '/conf-config' },
      settleMs: 0,
      watchMs: 10_000,
      async dispose() {
        await adapter.dispose();
        probe.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { history: 'ZooKeeper keeps no history: a node holds only its current data and version' },
);
