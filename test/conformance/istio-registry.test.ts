import { connect } from '../../src/adapters/istio/index.js';
import type { ServiceRef } from '../../src/core/registry.js';
import { startIstioFake, type IstioFake, type IstioVersion } from '../servers/istio-fake.js';
import { describeRegistryConformance, type ProbedInstance, type RegistryCase, type Skips } from './registry-suite.js';

/*
 * The registry conformance suite on the Istio adapter, against the Istio FAKE
 * (test/servers/istio-fake.ts) serving each version's fixtures: no istiod or Kubernetes API server
 * can run here. Istio's registry is read-only, so the harness seeds instances into the fake's
 * answers (in the version's own shape, test/servers/istio-fake-seed.ts) instead of registering
 * through the adapter, and every case that writes is skipped with the reason. The probe reads the
 * fake's raw HTTP answers with its own few lines, not the adapter: /debug/endpointz (list or shard
 * map) on istiod's path, the EndpointSlices on the Kubernetes API's.
 */

const READ_ONLY = "read-only: Istio's registry is fed by Kubernetes/ServiceEntry, not by clients";
const WRITES: Skips<RegistryCase> = { traffic: READ_ONLY, weight: READ_ONLY, metadata: READ_ONLY, deregister: READ_ONLY, ephemeral: READ_ONLY, 'lease-ttl': READ_ONLY, cancelled: READ_ONLY };
const TOKEN = 'conformance-token';
const host = (ref: ServiceRef) => `${ref.name}.${ref.scope.namespace}.svc.cluster.local`;

/** istiod's endpoints of a service as its /debug/endpointz holds them, whatever the version's shape. */
async function debugProbe(fake: IstioFake, ref: ServiceRef): Promise<ProbedInstance[]> {
  const body = (await (await fetch(`${fake.debugUrl}/debug/endpointz`)).json()) as any;
  const raw: any[] = Array.isArray(body)
    ? body.filter((e) => typeof e.svc === 'string' && e.svc.startsWith(`${host(ref)}:`)).flatMap((e) => (e.ep ?? []).filter((i: any) => i.endpoint).map((i: any) => i.endpoint))
    : Object.values(body[host(ref)]?.[ref.scope.namespace!]?.Shards ?? {}).flat();
  return raw.map((e) => ({ ip: e.Addresses?.[0] ?? e.Address, port: e.EndpointPort, enabled: e.HealthStatus !== 3, weight: e.LbWeight > 0 ? e.LbWeight : null, metadata: e.Labels ?? {} }));
}

/** A service's EndpointSlice endpoints as the Kubernetes API lists them. */
async function kubeProbe(fake: IstioFake, ref: ServiceRef): Promise<ProbedInstance[]> {
  const q = new URLSearchParams({ labelSelector: `kubernetes.io/service-name=${ref.name}` });
  const r = await fetch(`${fake.kubeUrl}/apis/discovery.k8s.io/v1/namespaces/${ref.scope.namespace}/endpointslices?${q}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await r.json()) as any;
  return body.items.flatMap((s: any) =>
    s.ports.flatMap((p: any) => s.endpoints.map((e: any) => ({ ip: e.addresses[0], port: p.port, enabled: e.conditions.terminating !== true, weight: null, metadata: e.zone ? { zone: e.zone } : {} }))),
  );
}

for (const path of ['debug', 'kube'] as const) {
  for (const version of (path === 'debug' ? ['1.10', '1.14', '1.24'] : ['1.14', '1.24']) as IstioVersion[]) {
    describeRegistryConformance(
      `istio ${version} (${path === 'debug' ? "istiod's debug endpoints" : 'Kubernetes API'}, fake)`,
      async () => {
        const fake = await startIstioFake({ version, kubeTokens: { [TOKEN]: '*' } });
        const options = path === 'debug' ? { url: fake.debugUrl, namespace: 'conf' } : { kubeUrl: fake.kubeUrl, token: TOKEN, namespace: 'conf' };
        const adapter = await connect(options, { dataDir: '/nonexistent', version: 'test', name: 'istio-conf' });
        return {
          backend: adapter.registry,
          probe: { instances: (ref) => (path === 'debug' ? debugProbe(fake, ref) : kubeProbe(fake, ref)) },
          scope: { namespace: 'conf' },
          otherScope: { namespace: 'conf-other' },
          lease: null,
          async seed(ref, req) {
            fake.seed({ namespace: ref.scope.namespace!, service: ref.name, ip: req.ip, port: req.port, labels: req.metadata });
          },
          // The same pod address in two clusters of one mesh (overlapping pod ranges): istiod lists both.
          ...(path === 'debug'
            ? {
                async twoAtOneAddress(ref: ServiceRef, ip: string, port: number) {
                  for (const cluster of ['east', 'west']) fake.seed({ namespace: ref.scope.namespace!, service: ref.name, ip, port, labels: {}, cluster });
                },
              }
            : {}),
          settleMs: 0,
          async dispose() {
            await adapter.dispose();
            await fake.stop();
          },
        };
      },
      {
        ...WRITES,
        ...(path === 'kube' ? { 'ambiguous-alias': 'on the Kubernetes API path one address is one endpoint: copies of it in two EndpointSlices are the same endpoint, listed once' } : {}),
      },
    );
  }
}
