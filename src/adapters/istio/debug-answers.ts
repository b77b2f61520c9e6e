import type { AnswerShape } from '../kit/shape.js';

/**
 * istiod's debug answers, read field by field (docs/dev/istio-facts.md §2): Go structs dumped as
 * they are, so each release's shape is accepted and nothing else. 1.10 and older end every list
 * with an empty `{}` element, dropped here; 1.11–1.19 write `[{svc, ep}]` endpoints; 1.20+ answer
 * /debug/endpointz with the shard map (hostname → namespace → shards), and 1.24 lists an
 * endpoint's `Addresses` instead of its `Address`.
 */

type Obj = Record<string, unknown>;

export interface MeshService {
  /** Kubernetes: the Service's name; a ServiceEntry host: the host. */
  name: string;
  namespace: string;
  hostname: string;
  /** Kubernetes, External (ServiceEntry), or another registry istiod reads. */
  registry: string;
  meshExternal: boolean;
  /** 0 client-side load balancing, 1 DNS, 2 passthrough, …; null where absent. */
  resolution: number | null;
  /** The service's VIP (1.10 `address`, 1.11+ `defaultAddress`). */
  address: string | null;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

export interface MeshEndpoint {
  hostname: string;
  /** The namespace of the service the endpoint belongs to. */
  namespace: string;
  address: string;
  port: number;
  portName: string;
  labels: Record<string, string>;
  serviceAccount: string;
  cluster: string | null;
  network: string;
  locality: string;
  workload: string;
  /** The raw HealthStatus; null before the field existed (1.10). */
  healthStatus: number | null;
  weight: number;
  node: string | null;
}

export interface SyncType {
  /** cluster, listener, route, endpoint, extensionconfig. */
  type: string;
  sent: string | null;
  acked: string | null;
  lastError: string | null;
}

export interface ProxySync {
  /** `<pod>.<namespace>`. */
  proxy: string;
  cluster: string | null;
  proxyType: string | null;
  istioVersion: string | null;
  types: SyncType[];
}

/** Whether a value is an empty object: the `{}` 1.10 writes after the last element of a list. */
export const isEmptyElement = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** The items of a list, without the trailing (or any) empty `{}` elements of 1.10 and older. */
function items(s: AnswerShape, v: unknown, path: string): Array<{ v: Obj; path: string }> {
  return s
    .array(v, path)
    .map((x, i) => ({ x, path: `${path}[${i}]` }))
    .filter(({ x }) => !isEmptyElement(x))
    .map(({ x, path: p }) => ({ v: s.object(x, p), path: p }));
}

const at = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);

function num(s: AnswerShape, o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw s.fail(at(path, key), 'a number', v);
  return v;
}

function optNum(s: AnswerShape, o: Obj, key: string, path: string): number | null {
  return o[key] === undefined || o[key] === null ? null : num(s, o, key, path);
}

function optText(s: AnswerShape, o: Obj, key: string, path: string): string {
  return o[key] === undefined || o[key] === null ? '' : s.str(o, key, path);
}

function labels(s: AnswerShape, o: Obj, key: string, path: string): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  const m = s.obj(o, key, path);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(m)) out[k] = s.string(x, at(at(path, key), k));
  return out;
}

function readService(s: AnswerShape, o: Obj, path: string): MeshService {
  const attrs = s.obj(o, 'Attributes', path);
  const ap = at(path, 'Attributes');
  const address = typeof o.address === 'string' ? o.address : typeof o.defaultAddress === 'string' ? o.defaultAddress : null;
  return {
    name: s.str(attrs, 'Name', ap),
    namespace: s.str(attrs, 'Namespace', ap),
    hostname: s.str(o, 'hostname', path),
    registry: optText(s, attrs, 'ServiceRegistry', ap),
    meshExternal: s.optBool(o, 'MeshExternal', path) ?? false,
    resolution: optNum(s, o, 'Resolution', path),
    address: address === '' || address === '0.0.0.0' ? null : address,
    ports: (o.ports === null ? [] : s.optArr(o, 'ports', path)).map((p, i) => {
      const pp = `${at(path, 'ports')}[${i}]`;
      const po = s.object(p, pp);
      return { name: optText(s, po, 'name', pp), port: num(s, po, 'port', pp), protocol: optText(s, po, 'protocol', pp) };
    }),
  };
}

/** `GET /debug/registryz`: every service istiod knows. */
export function readRegistryz(s: AnswerShape, body: unknown): MeshService[] {
  return items(s, body, '').map((x) => readService(s, x.v, x.path));
}

function readEndpoint(s: AnswerShape, e: Obj, path: string, where: { hostname: string; namespace: string; cluster: string | null }): MeshEndpoint {
  let address: string;
  if (e.Addresses !== undefined && e.Addresses !== null) {
    const list = s.arr(e, 'Addresses', path);
    if (list.length === 0) throw s.fail(at(path, 'Addresses'), 'at least one address', list);
    address = s.string(list[0], `${at(path, 'Addresses')}[0]`);
  } else address = s.str(e, 'Address', path);
  const locality = e.Locality === undefined || e.Locality === null ? {} : s.obj(e, 'Locality', path);
  const lp = at(path, 'Locality');
  const clusterId = optText(s, locality, 'ClusterID', lp);
  return {
    ...where,
    address,
    port: num(s, e, 'EndpointPort', path),
    portName: optText(s, e, 'ServicePortName', path),
    labels: labels(s, e, 'Labels', path),
    serviceAccount: optText(s, e, 'ServiceAccount', path),
    cluster: clusterId !== '' ? clusterId : where.cluster,
    network: optText(s, e, 'Network', path),
    locality: optText(s, locality, 'Label', lp),
    workload: optText(s, e, 'WorkloadName', path),
    healthStatus: optNum(s, e, 'HealthStatus', path),
    weight: optNum(s, e, 'LbWeight', path) ?? 0,
    node: optText(s, e, 'NodeName', path) || null,
  };
}

/**
 * `GET /debug/endpointz`: the list of `{svc: "<host>:<port name>", ep: [ServiceInstance] | null}`
 * (up to 1.19; 1.10 with `{}` after each list), or the shard map of 1.20+
 * (`{host: {namespace: {Shards: {"<registry>/<cluster>": [IstioEndpoint]}}}}`).
 */
export function readEndpointz(s: AnswerShape, body: unknown): { endpoints: MeshEndpoint[]; shape: 'instances' | 'shards' } {
  if (Array.isArray(body)) {
    const out: MeshEndpoint[] = [];
    for (const entry of items(s, body, '')) {
      const svc = s.str(entry.v, 'svc', entry.path);
      const fallbackHost = svc.includes(':') ? svc.slice(0, svc.lastIndexOf(':')) : svc;
      if (entry.v.ep === null || entry.v.ep === undefined) continue;
      for (const inst of items(s, entry.v.ep, at(entry.path, 'ep'))) {
        const service = inst.v.service === undefined || inst.v.service === null ? {} : s.obj(inst.v, 'service', inst.path);
        const sp = at(inst.path, 'service');
        const attrs = service.Attributes === undefined ? {} : s.obj(service, 'Attributes', sp);
        const endpoint = s.obj(inst.v, 'endpoint', inst.path);
        const ep = at(inst.path, 'endpoint');
        const hostname = typeof service.hostname === 'string' ? service.hostname : fallbackHost;
        const namespace = optText(s, attrs, 'Namespace', at(sp, 'Attributes')) || optText(s, endpoint, 'Namespace', ep);
        out.push(readEndpoint(s, endpoint, ep, { hostname, namespace, cluster: null }));
      }
    }
    return { endpoints: out, shape: 'instances' };
  }
  const hosts = s.object(body);
  const out: MeshEndpoint[] = [];
  for (const [hostname, byNs] of Object.entries(hosts)) {
    const hp = JSON.stringify(hostname);
    for (const [namespace, shardsOf] of Object.entries(s.object(byNs, hp))) {
      const np = `${hp}.${namespace}`;
      const shards = s.obj(s.object(shardsOf, np), 'Shards', np);
      for (const [key, list] of Object.entries(shards)) {
        // ShardKey text is "<registry>/<cluster>".
        const cluster = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
        const sp = `${np}.Shards.${JSON.stringify(key)}`;
        if (list === null) continue;
        s.array(list, sp).forEach((e, i) => out.push(readEndpoint(s, s.object(e, `${sp}[${i}]`), `${sp}[${i}]`, { hostname, namespace, cluster: cluster || null })));
      }
    }
  }
  return { endpoints: out, shape: 'shards' };
}

const SYNC_TYPES = ['cluster', 'listener', 'route', 'endpoint', 'extensionconfig'];

/** `GET /debug/syncz`: one entry per connected proxy, with the nonces sent and acknowledged per xDS type. */
export function readSyncz(s: AnswerShape, body: unknown): ProxySync[] {
  return items(s, body, '').map(({ v, path }) => {
    const resources = v.resources === undefined || v.resources === null ? {} : s.obj(v, 'resources', path);
    const errors = Object.values(resources)
      .map((r) => (typeof r === 'object' && r !== null ? (r as Obj).lastError : undefined))
      .filter((e): e is string => typeof e === 'string' && e !== '');
    const types = SYNC_TYPES.map((type) => ({
      type,
      sent: optText(s, v, `${type}_sent`, path) || null,
      acked: optText(s, v, `${type}_acked`, path) || null,
      lastError: null as string | null,
    }));
    // The per-resource view of 1.24+ carries the proxy's last NACK; it is shown with the first stale type.
    if (errors.length > 0) {
      const t = types.find((x) => x.sent !== null && x.sent !== x.acked) ?? types[0]!;
      t.lastError = errors.join('; ');
    }
    return {
      proxy: s.str(v, 'proxy', path),
      cluster: optText(s, v, 'cluster_id', path) || null,
      proxyType: optText(s, v, 'proxy_type', path) || null,
      istioVersion: optText(s, v, 'istio_version', path) || null,
      types,
    };
  });
}
