import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/adapters/zookeeper/index.js';
import type { RegistryBackend } from '../../src/core/registry.js';
import { rawZkClient, sharedZooKeeper } from '../servers/zookeeper-server.js';
import { children, create, data, mkdirs } from '../adapters/zookeeper-support.js';
import { describeRegistryConformance, type ProbedInstance } from './registry-suite.js';

/**
 * The registry suite against a real ZooKeeper 3.8 (the run's shared one; this file's roots are its own). opsdeck registers in the Spring Cloud Zookeeper
 * layout under the services root (here /conf-services); the other scope is a curator-x-discovery
 * base path. The probe is its own ZooKeeper session that reads the instance nodes as Spring's
 * ServiceInstance JSON: an instance takes traffic while `payload.metadata.instance_status` is
 * empty or UP (what Spring Cloud LoadBalancer keeps), and its metadata is `payload.metadata`
 * without that status field.
 */

describeRegistryConformance(
  'zookeeper (Spring Cloud Zookeeper layout, real ZooKeeper 3.8)',
  async () => {
    const server = await sharedZooKeeper();
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-zkreg-conf-'));
    const adapter = await connect({ connect: server.connect, servicesRoot: '/conf-services', curatorBasePaths: ['/conf-curator'] }, { dataDir: dir, version: 'test', name: 'zk' });
    const probe = await rawZkClient(server.connect);
    return {
      backend: adapter.registry as RegistryBackend,
      probe: {
        async instances(ref) {
          const base = `${ref.scope.prefix}/${ref.name}`;
          const out: ProbedInstance[] = [];
          for (const id of await children(probe, base)) {
            const d = await data(probe, `${base}/${id}`);
            if (!d) continue;
            const o = JSON.parse(d.toString('utf8')) as { address: string; port: number; payload: { metadata?: Record<string, string> } };
            const { instance_status: status, ...metadata } = o.payload.metadata ?? {};
            out.push({ ip: o.address, port: o.port, enabled: status === undefined || status.toUpperCase() === 'UP', weight: null, metadata });
          }
          return out;
        },
      },
      scope: { prefix: '/conf-services' },
      otherScope: { prefix: '/conf-curator' },
      lease: null,
      // Two Spring Cloud registrations of one address, as two processes on one host and port would make.
      async twoAtOneAddress(ref, ip, port) {
        const base = `${ref.scope.prefix}/${ref.name}`;
        await mkdirs(probe, base);
        for (const id of ['dup-a', 'dup-b']) {
          const body = { name: ref.name, id, address: ip, port, sslPort: null, payload: { '@class': 'org.springframework.cloud.zookeeper.discovery.ZookeeperInstance', id: ref.name, name: ref.name, metadata: { instance_status: 'UP' } }, registrationTimeUTC: Date.now(), serviceType: 'DYNAMIC', uriSpec: null };
          await create(probe, `${base}/${id}`, Buffer.from(JSON.stringify(body)));
        }
      },
      settleMs: 0,
      async dispose() {
        await adapter.dispose();
        probe.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  {
    weight: 'none of the layouts opsdeck writes has a weight (Spring Cloud and Curator have none; a Dubbo weight is the provider\'s own or an override rule\'s), so the backend has no setWeight',
    'lease-ttl': "ZooKeeper has no per-registration TTL: an ephemeral node lives by its creator's session, and opsdeck registers persistent nodes only (see the ephemeral case)",
    ephemeral: "a ZooKeeper ephemeral node lives by the session that created it, not by heartbeats: opsdeck's session ends with the command, so it registers persistent nodes only and has no heartbeat (applications' ephemeral nodes are covered by test/interop/zk-registry.test.ts)",
  },
);
