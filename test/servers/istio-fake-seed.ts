/*
 * Instances added to the Istio fake's answers (a conformance run registers nothing through the
 * adapter: Istio's registry is fed by Kubernetes, so the harness seeds the source). Each seeded
 * instance is written in the shape its version answers, by copying an element of that version's
 * fixture and changing only names, addresses, ports, labels and cluster: the trailing `{}` of
 * 1.10, the `[{svc, ep}]` list of 1.14, the shard map and `Addresses` of 1.24, and a Service and
 * an EndpointSlice on the Kubernetes side.
 */
import type { IstioVersion } from './istio-fake.js';

export interface IstioSeed {
  namespace: string;
  service: string;
  ip: string;
  port: number;
  /** Endpoint labels on istiod's side; `zone` becomes the EndpointSlice endpoint's zone. */
  labels: Record<string, string>;
  /** The cluster istiod names the endpoint by (default Kubernetes). */
  cluster?: string;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const hostOf = (s: IstioSeed) => `${s.service}.${s.namespace}.svc.cluster.local`;
const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 0;

/** A registryz service for the seed, from the version's first fixture service. */
function serviceFor(version: IstioVersion, template: any, s: IstioSeed): any {
  const svc = clone(template);
  svc.Attributes.Name = s.service;
  svc.Attributes.Namespace = s.namespace;
  svc.Attributes.Labels = { app: s.service };
  svc.Attributes.LabelSelectors = { app: s.service };
  if ('UID' in svc.Attributes) svc.Attributes.UID = `istio://${s.namespace}/services/${s.service}`;
  svc.hostname = hostOf(s);
  svc.ports = [{ name: 'http', port: 80, protocol: 'HTTP' }];
  if (version === '1.10') svc.address = '10.96.99.1';
  else svc.defaultAddress = '10.96.99.1';
  return svc;
}

function endpointFor(template: any, s: IstioSeed): any {
  const e = clone(template);
  if ('Addresses' in e) e.Addresses = [s.ip];
  else e.Address = s.ip;
  e.EndpointPort = s.port;
  e.Labels = { ...s.labels };
  e.Locality = { ...e.Locality, ClusterID: s.cluster ?? 'Kubernetes' };
  e.Namespace = s.namespace;
  e.WorkloadName = s.service;
  e.ServiceAccount = `spiffe://cluster.local/ns/${s.namespace}/sa/default`;
  return e;
}

export function seededRegistryz(version: IstioVersion, all: any[], seeds: readonly IstioSeed[]): any[] {
  const out = [...all];
  const template = all[0];
  // 1.10 ends the list with {}: new services go before it.
  const end = version === '1.10' ? out.length - 1 : out.length;
  const added: any[] = [];
  for (const s of seeds) {
    if ([...out, ...added].some((x) => x.hostname === hostOf(s) && x.Attributes?.Namespace === s.namespace)) continue;
    added.push(serviceFor(version, template, s));
  }
  out.splice(end, 0, ...added);
  return out;
}

export function seededEndpointz(version: IstioVersion, body: any, registry: any[], seeds: readonly IstioSeed[]): any {
  if (version === '1.24') {
    const out = clone(body);
    const first: any = Object.values(Object.values(out)[0] as any)[0];
    const template = (Object.values(first.Shards)[0] as any[])[0];
    for (const s of seeds) {
      const ns = ((out[hostOf(s)] ??= {})[s.namespace] ??= { Shards: {}, ServiceAccounts: {} });
      (ns.Shards[`Kubernetes/${s.cluster ?? 'Kubernetes'}`] ??= []).push(endpointFor(template, s));
    }
    return out;
  }
  const out = clone(body) as any[];
  const template = out[0].ep[0];
  const end = version === '1.10' ? out.length - 1 : out.length;
  const added: any[] = [];
  for (const s of seeds) {
    const svc = `${hostOf(s)}:http`;
    let entry = [...out, ...added].find((x) => x.svc === svc);
    if (!entry) {
      entry = { svc, ep: version === '1.10' ? [{}] : [] };
      added.push(entry);
    }
    const inst = clone(template);
    inst.service = registry.find((r) => r.hostname === hostOf(s) && r.Attributes?.Namespace === s.namespace);
    inst.servicePort = { name: 'http', port: 80, protocol: 'HTTP' };
    inst.endpoint = endpointFor(template.endpoint, s);
    // 1.10 ends each ep list with {} too.
    const at = version === '1.10' && isEmpty(entry.ep.at(-1)) ? entry.ep.length - 1 : entry.ep.length;
    entry.ep.splice(at, 0, inst);
  }
  out.splice(end, 0, ...added);
  return out;
}

export function seededKube(kind: 'services' | 'endpointslices', seeds: readonly IstioSeed[]): any[] {
  if (kind === 'services') {
    const seen = new Set<string>();
    return seeds.flatMap((s) => {
      const k = `${s.namespace}/${s.service}`;
      if (seen.has(k)) return [];
      seen.add(k);
      return [{ metadata: { name: s.service, namespace: s.namespace, labels: { app: s.service } }, spec: { ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: s.service }, clusterIP: '10.96.99.1', type: 'ClusterIP' } }];
    });
  }
  // One slice per seeded instance: a slice has one port list, and seeds may differ in port.
  return seeds.map((s, i) => ({
    metadata: { name: `${s.service}-seed${i}`, namespace: s.namespace, labels: { 'kubernetes.io/service-name': s.service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [s.ip], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: s.namespace, name: `${s.service}-seed${i}` }, ...(s.labels.zone ? { zone: s.labels.zone } : {}) }],
    ports: [{ name: 'http', protocol: 'TCP', port: s.port }],
  }));
}
