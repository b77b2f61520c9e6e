import { etcdAdapter, EtcdRaw } from '../adapters/etcd-support.js';
import { startEtcd } from '../servers/etcd-server.js';
import { describeRegistryConformance, type ProbedInstance, type RegistryHarness } from './registry-suite.js';

/*
 * The registry conformance suite on etcd registrations, against a real etcd 3.4 (one per describe).
 * The probe reads the keys under the service's prefix straight from the v3 JSON gateway with fetch
 * and decodes each layout's value itself, never through the adapter.
 *
 * Two layouts: a profile template whose JSON names status, weight and metadata fields (so drain
 * and weights exist), and Kratos' ServiceInstance, which has neither (those cases are skipped).
 */

const TEMPLATE = { host: 'host', port: 'port', status: 'status', up: 'UP', down: 'OUT_OF_SERVICE', weight: 'weight', metadata: 'metadata' };

async function harness(kind: 'template' | 'kratos', auth: boolean): Promise<RegistryHarness> {
  const server = await startEtcd({ auth });
  const raw = new EtcdRaw(server);
  const [root, other] = kind === 'template' ? ['/opsdeck-conf/', '/opsdeck-other/'] : ['/microservices/', '/microservices-b/'];
  const options =
    kind === 'template'
      ? { prefixes: {}, templates: [root, other].map((p) => ({ key: `${p}{service}/{instance}`, ...TEMPLATE })) }
      : { prefixes: { [root]: 'kratos', [other]: 'kratos' } };
  const a = await etcdAdapter(server, options);
  const decode = (value: string): ProbedInstance => {
    const v = JSON.parse(value) as Record<string, unknown>;
    if (kind === 'template') {
      return { ip: String(v.host), port: Number(v.port), enabled: v.status !== 'OUT_OF_SERVICE', weight: typeof v.weight === 'number' ? v.weight : null, metadata: (v.metadata ?? {}) as Record<string, string> };
    }
    const u = new URL((v.endpoints as string[])[0]!);
    return { ip: u.hostname, port: Number(u.port), enabled: true, weight: null, metadata: (v.metadata ?? {}) as Record<string, string> };
  };
  return {
    backend: a.registry!,
    probe: {
      async instances(ref) {
        const rows = await raw.under(`${ref.scope.prefix}${ref.name}/`);
        return rows.map((r) => decode(r.value));
      },
    },
    scope: { prefix: root },
    otherScope: { prefix: other },
    // etcd's minimum lease on a one-member cluster is 2 s; an expired lease is revoked within about half a second.
    lease: { ttlMs: 2000, goneWithinMs: 4000 },
    async twoAtOneAddress(ref, ip, port) {
      for (const id of ['twin-a', 'twin-b']) {
        const value = kind === 'template' ? { host: ip, port, status: 'UP', weight: 1, metadata: {} } : { id, name: ref.name, version: '', metadata: {}, endpoints: [`http://${ip}:${port}`] };
        await raw.put(`${ref.scope.prefix}${ref.name}/${id}`, JSON.stringify(value));
      }
    },
    settleMs: 0,
    async dispose() {
      await a.cleanup();
      await server.stop();
    },
  };
}

describeRegistryConformance('etcd 3.4, a JSON template with status, weight and metadata (real server)', () => harness('template', false));
describeRegistryConformance('etcd 3.4 with auth on, a JSON template (real server, root user)', () => harness('template', true));
describeRegistryConformance('etcd 3.4, the Kratos layout (real server)', () => harness('kratos', false), {
  traffic: "Kratos' ServiceInstance has no status field, so the etcd registry has no drain for it",
  weight: "Kratos' ServiceInstance has no weight field",
});
