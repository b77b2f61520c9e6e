import { connect } from '../../src/adapters/eureka/index.js';
import type { ServiceRef } from '../../src/core/registry.js';
import { sharedEureka } from '../servers/eureka-server.js';
import { describeRegistryConformance, type ProbedInstance } from './registry-suite.js';

/**
 * The registry suite against a real Eureka server (the run's shared one, self-preservation off,
 * evicting every second). The probe reads the server's own REST API with fetch, not the adapter:
 * `GET /apps/{APP}` as JSON, where a drained instance is OUT_OF_SERVICE.
 */

interface RawInstance {
  ipAddr: string;
  status: string;
  port: { $: number };
  metadata?: Record<string, string>;
}

describeRegistryConformance(
  'eureka',
  async () => {
    const server = await sharedEureka();
    const adapter = await connect({ url: server.url, selfPreservation: false }, { dataDir: '/nonexistent', version: 'test', name: 'eureka-conf' });
    const app = (ref: ServiceRef) => ref.name.toUpperCase();
    const post = async (ref: ServiceRef, instance: Record<string, unknown>) => {
      const r = await fetch(`${server.url}/apps/${app(ref)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instance }) });
      if (r.status !== 204) throw new Error(`registering ${JSON.stringify(instance)} answered ${r.status}: ${await r.text()}`);
    };
    return {
      backend: adapter.registry,
      probe: {
        async instances(ref): Promise<ProbedInstance[]> {
          const r = await fetch(`${server.url}/apps/${app(ref)}`, { headers: { accept: 'application/json' } });
          if (r.status === 404) return [];
          if (r.status !== 200) throw new Error(`GET /apps/${app(ref)} answered ${r.status}`);
          const body = (await r.json()) as { application: { instance: RawInstance[] } };
          return body.application.instance.map((i) => {
            const { '@class': _marker, ...metadata } = i.metadata ?? {};
            return { ip: i.ipAddr, port: i.port.$, enabled: i.status !== 'OUT_OF_SERVICE', weight: null, metadata };
          });
        },
      },
      scope: {},
      otherScope: null,
      // Renewed every third of the TTL: Eureka evicts a renewed instance two durations after its last
      // renewal (facts §4), and the eviction task runs every second.
      lease: { ttlMs: 2000, goneWithinMs: 2 * 2000 + server.evictionIntervalMs + 1000 },
      registerAs: { ephemeral: true, ttlMs: 120_000 },
      // Two ids at one address: what two clients on one host with the same port look like.
      async twoAtOneAddress(ref, ip, port) {
        for (const id of [`${ip}:a:${port}`, `${ip}:b:${port}`]) {
          await post(ref, {
            instanceId: id,
            hostName: ip,
            app: app(ref),
            ipAddr: ip,
            status: 'UP',
            port: { $: port, '@enabled': 'true' },
            dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
            leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 120 },
          });
        }
      },
      settleMs: 2000,
      dispose: () => adapter.dispose(),
    };
  },
  {
    weight: 'Eureka has no instance weights, so the adapter has no setWeight',
    'scope-isolation': 'Eureka is one flat space: an application is addressed by its name alone',
  },
);
