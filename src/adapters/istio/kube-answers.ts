import type { AnswerShape } from '../kit/shape.js';

/**
 * The Kubernetes API's lists, read field by field (docs/dev/istio-facts.md §5): core/v1 Services,
 * discovery.k8s.io/v1 EndpointSlices, and networking.istio.io ServiceEntries and WorkloadEntries
 * (the same objects under v1, v1beta1 or v1alpha3). Only the fields opsdeck uses are checked.
 */

type Obj = Record<string, unknown>;

export interface KubeService {
  name: string;
  namespace: string;
  type: string;
  clusterIP: string | null;
  /** Absent: a Service without a selector (its EndpointSlices are managed by someone else). */
  selector: Record<string, string> | null;
  ports: Array<{ name: string; port: number; targetPort: number | string | null }>;
}

export interface SliceEndpoint {
  address: string;
  /** discovery.k8s.io/v1: null ready means unknown, which consumers read as ready. */
  ready: boolean | null;
  serving: boolean | null;
  terminating: boolean | null;
  pod: string | null;
  nodeName: string | null;
  zone: string | null;
  hostname: string | null;
}

export interface EndpointSlice {
  name: string;
  namespace: string;
  service: string | null;
  ports: Array<{ name: string; port: number | null }>;
  endpoints: SliceEndpoint[];
}

export interface ServiceEntry {
  name: string;
  namespace: string;
  hosts: string[];
  location: string;
  resolution: string;
  ports: Array<{ name: string; number: number; targetPort: number | null }>;
  endpoints: Array<{ address: string; ports: Record<string, number>; labels: Record<string, string>; locality: string; network: string; weight: number }>;
  workloadSelector: Record<string, string> | null;
}

export interface WorkloadEntry {
  name: string;
  namespace: string;
  address: string;
  labels: Record<string, string>;
  ports: Record<string, number>;
  serviceAccount: string;
  locality: string;
  network: string;
  weight: number;
  /** The Healthy condition istiod sets from health checks; null when the entry has none. */
  healthy: boolean | null;
}

const at = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);

function text(s: AnswerShape, o: Obj, key: string, path: string): string {
  return o[key] === undefined || o[key] === null ? '' : s.str(o, key, path);
}

function int(s: AnswerShape, o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw s.fail(at(path, key), 'a whole number', v);
  return v;
}

function optInt(s: AnswerShape, o: Obj, key: string, path: string): number | null {
  return o[key] === undefined || o[key] === null ? null : int(s, o, key, path);
}

function strMap(s: AnswerShape, o: Obj, key: string, path: string): Record<string, string> {
  if (o[key] === undefined || o[key] === null) return {};
  const m = s.obj(o, key, path);
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, s.string(v, at(at(path, key), k))]));
}

function intMap(s: AnswerShape, o: Obj, key: string, path: string): Record<string, number> {
  if (o[key] === undefined || o[key] === null) return {};
  const m = s.obj(o, key, path);
  return Object.fromEntries(Object.keys(m).map((k) => [k, int(s, m, k, at(path, key))]));
}

function list(s: AnswerShape, o: Obj, key: string, path: string): Array<{ v: Obj; path: string }> {
  if (o[key] === undefined || o[key] === null) return [];
  return s.arr(o, key, path).map((x, i) => ({ v: s.object(x, `${at(path, key)}[${i}]`), path: `${at(path, key)}[${i}]` }));
}

/** A `…List`: its items, each with its metadata's name and namespace. */
function listItems(s: AnswerShape, body: unknown): Array<{ v: Obj; path: string; name: string; namespace: string; spec: Obj; sp: string }> {
  return list(s, s.object(body), 'items', '').map(({ v, path }) => {
    const meta = s.obj(v, 'metadata', path);
    const spec = v.spec === undefined || v.spec === null ? {} : s.obj(v, 'spec', path);
    return { v, path, name: s.str(meta, 'name', at(path, 'metadata')), namespace: text(s, meta, 'namespace', at(path, 'metadata')), spec, sp: at(path, 'spec') };
  });
}

export function readServices(s: AnswerShape, body: unknown): KubeService[] {
  return listItems(s, body).map(({ name, namespace, spec, sp }) => ({
    name,
    namespace,
    type: text(s, spec, 'type', sp) || 'ClusterIP',
    clusterIP: text(s, spec, 'clusterIP', sp) || null,
    selector: spec.selector === undefined || spec.selector === null ? null : strMap(s, spec, 'selector', sp),
    ports: list(s, spec, 'ports', sp).map(({ v, path }) => {
      const t = v.targetPort;
      if (t !== undefined && t !== null && typeof t !== 'number' && typeof t !== 'string') throw s.fail(at(path, 'targetPort'), 'a port number or name', t);
      return { name: text(s, v, 'name', path), port: int(s, v, 'port', path), targetPort: (t as number | string | undefined) ?? null };
    }),
  }));
}

export function readEndpointSlices(s: AnswerShape, body: unknown): EndpointSlice[] {
  return listItems(s, body).map(({ v, path, name, namespace }) => {
    const labels = strMap(s, s.obj(v, 'metadata', path), 'labels', at(path, 'metadata'));
    return {
      name,
      namespace,
      service: labels['kubernetes.io/service-name'] ?? null,
      ports: list(s, v, 'ports', path).map((p) => ({ name: text(s, p.v, 'name', p.path), port: optInt(s, p.v, 'port', p.path) })),
      endpoints: list(s, v, 'endpoints', path).flatMap(({ v: e, path: ep }) => {
        const addresses = s.arr(e, 'addresses', ep);
        if (addresses.length === 0) return [];
        const c = e.conditions === undefined || e.conditions === null ? {} : s.obj(e, 'conditions', ep);
        const cp = at(ep, 'conditions');
        const ref = e.targetRef === undefined || e.targetRef === null ? null : s.obj(e, 'targetRef', ep);
        return [
          {
            address: s.string(addresses[0], `${at(ep, 'addresses')}[0]`),
            ready: s.optBool(c, 'ready', cp) ?? null,
            serving: s.optBool(c, 'serving', cp) ?? null,
            terminating: s.optBool(c, 'terminating', cp) ?? null,
            pod: ref !== null && ref.kind === 'Pod' ? text(s, ref, 'name', at(ep, 'targetRef')) || null : null,
            nodeName: text(s, e, 'nodeName', ep) || null,
            zone: text(s, e, 'zone', ep) || null,
            hostname: text(s, e, 'hostname', ep) || null,
          },
        ];
      }),
    };
  });
}

export function readServiceEntries(s: AnswerShape, body: unknown): ServiceEntry[] {
  return listItems(s, body).map(({ name, namespace, spec, sp }) => {
    const selector = spec.workloadSelector === undefined || spec.workloadSelector === null ? null : strMap(s, s.obj(spec, 'workloadSelector', sp), 'labels', at(sp, 'workloadSelector'));
    return {
      name,
      namespace,
      hosts: s.arr(spec, 'hosts', sp).map((h, i) => s.string(h, `${at(sp, 'hosts')}[${i}]`)),
      location: text(s, spec, 'location', sp) || 'MESH_EXTERNAL',
      resolution: text(s, spec, 'resolution', sp) || 'NONE',
      ports: list(s, spec, 'ports', sp).map(({ v, path }) => ({ name: text(s, v, 'name', path), number: int(s, v, 'number', path), targetPort: optInt(s, v, 'targetPort', path) })),
      endpoints: list(s, spec, 'endpoints', sp).map(({ v, path }) => ({
        address: s.str(v, 'address', path),
        ports: intMap(s, v, 'ports', path),
        labels: strMap(s, v, 'labels', path),
        locality: text(s, v, 'locality', path),
        network: text(s, v, 'network', path),
        weight: optInt(s, v, 'weight', path) ?? 0,
      })),
      workloadSelector: selector,
    };
  });
}

export function readWorkloadEntries(s: AnswerShape, body: unknown): WorkloadEntry[] {
  return listItems(s, body).map(({ v, path, name, namespace, spec, sp }) => {
    const status = v.status === undefined || v.status === null ? {} : s.obj(v, 'status', path);
    const healthy = list(s, status, 'conditions', at(path, 'status')).find((c) => c.v.type === 'Healthy');
    return {
      name,
      namespace,
      address: s.str(spec, 'address', sp),
      labels: strMap(s, spec, 'labels', sp),
      ports: intMap(s, spec, 'ports', sp),
      serviceAccount: text(s, spec, 'serviceAccount', sp),
      locality: text(s, spec, 'locality', sp),
      network: text(s, spec, 'network', sp),
      weight: optInt(s, spec, 'weight', sp) ?? 0,
      healthy: healthy === undefined ? null : text(s, healthy.v, 'status', healthy.path) === 'True',
    };
  });
}
