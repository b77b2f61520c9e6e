import { notFound, OpsError } from '../../core/errors.js';
import type { InstanceView, ServiceDetail, ServiceRef, ServiceSummary } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { IstioContext } from './context.js';
import { readEndpointSlices, readServiceEntries, readServices, readWorkloadEntries, type EndpointSlice, type KubeService, type ServiceEntry, type WorkloadEntry } from './kube-answers.js';
import { counts, withUniqueIds } from './mesh-view.js';
import { entryPort, selects, seEndpointView, sliceView, workloadEntryView } from './kube-view.js';
import { readProxySync } from './debug-reads.js';
import { meshSyncWarning, serviceSyncWarning } from './sync-status.js';

/**
 * Path B: the inputs istiod reads, from the Kubernetes API: Services and their EndpointSlices,
 * and networking.istio.io ServiceEntries (each host a service) and WorkloadEntries (VMs joining a
 * Service by its selector, or a ServiceEntry by its workloadSelector). Scoped by namespace, as
 * RBAC usually is. networking.istio.io/v1 is served from Istio 1.22; an older Istio answers 404
 * there, so v1beta1 is asked then (and remembered).
 */

interface Namespace {
  services: KubeService[];
  slices: EndpointSlice[];
  entries: ServiceEntry[];
  workloads: WorkloadEntry[];
  warnings: string[];
}

const ISTIO_VERSIONS = ['v1', 'v1beta1'] as const;

/** The networking.istio.io version this server serves, found on first use. */
const servedVersion = new WeakMap<IstioContext, (typeof ISTIO_VERSIONS)[number] | null>();

/**
 * One kind of Istio object in a namespace; null with the reason when the server has none to give:
 * no Istio CRDs (404 on every version), or RBAC that allows Services and EndpointSlices but not
 * this kind (403), in which case the Kubernetes services still show, with the warning.
 */
async function istioList(ctx: IstioContext, ns: string, plural: string, signal?: AbortSignal): Promise<{ body: unknown; path: string } | { warning: string }> {
  const known = servedVersion.get(ctx);
  const tries = known === undefined ? ISTIO_VERSIONS : known === null ? [] : [known];
  for (const v of tries) {
    const path = `/apis/networking.istio.io/${v}/namespaces/${encodeURIComponent(ns)}/${plural}`;
    let body: unknown;
    try {
      body = await ctx.http.get('kube', path, { signal, missing: () => undefined });
    } catch (e) {
      if (e instanceof OpsError && e.kind === 'unauthorized' && e.details?.httpStatus === 403) return { warning: `${plural} of namespace ${ns} are not shown: ${e.message}; give the token's Role get and list on networking.istio.io ${plural} to see them` };
      throw e;
    }
    if (body !== undefined) {
      servedVersion.set(ctx, v);
      return { body, path };
    }
  }
  servedVersion.set(ctx, null);
  return { warning: NO_CRDS };
}

const NO_CRDS = 'the Kubernetes API serves no networking.istio.io (v1 or v1beta1): Istio\'s CRDs are not installed there, so ServiceEntries and WorkloadEntries are not shown';

async function readNamespace(ctx: IstioContext, ns: string, service: string | undefined, signal?: AbortSignal): Promise<Namespace> {
  const enc = encodeURIComponent(ns);
  const svcPath = `/api/v1/namespaces/${enc}/services`;
  const slicePath = `/apis/discovery.k8s.io/v1/namespaces/${enc}/endpointslices`;
  const query = service === undefined ? undefined : { labelSelector: `kubernetes.io/service-name=${service}` };
  const [svcBody, sliceBody, se, we] = await Promise.all([
    ctx.http.get('kube', svcPath, { signal }),
    ctx.http.get('kube', slicePath, { signal, ...(query ? { query } : {}) }),
    istioList(ctx, ns, 'serviceentries', signal),
    istioList(ctx, ns, 'workloadentries', signal),
  ]);
  return {
    services: readServices(ctx.http.shape('kube', svcPath), svcBody),
    slices: readEndpointSlices(ctx.http.shape('kube', slicePath), sliceBody),
    entries: 'warning' in se ? [] : readServiceEntries(ctx.http.shape('kube', se.path), se.body),
    workloads: 'warning' in we ? [] : readWorkloadEntries(ctx.http.shape('kube', we.path), we.body),
    warnings: [...new Set([se, we].flatMap((x) => ('warning' in x ? [x.warning] : [])))],
  };
}

/** A Kubernetes Service's instances: its EndpointSlices' endpoints, and the WorkloadEntries its selector picks. */
function serviceInstances(svc: KubeService, data: Namespace): InstanceView[] {
  // An endpoint may be listed by two slices for a moment (the controller moving it): one address is one instance, its best-off copy.
  const byAddress = new Map<string, InstanceView>();
  const rank = (v: InstanceView) => (v.traffic === 'enabled' ? 0 : 2) + (v.health === 'passing' ? 0 : 1);
  for (const slice of data.slices.filter((s) => s.service === svc.name)) {
    // A slice without ports stands for every port of the Service.
    const ports = slice.ports.length > 0 ? slice.ports : svc.ports.map((p) => ({ name: p.name, port: typeof p.targetPort === 'number' ? p.targetPort : p.port }));
    for (const p of ports) {
      for (const e of slice.endpoints) {
        if (p.port === null) continue;
        const v = sliceView(e, p.port, p.name);
        const had = byAddress.get(v.id);
        if (!had || rank(v) < rank(had)) byAddress.set(v.id, v);
      }
    }
  }
  const views = [...byAddress.values()];
  for (const w of data.workloads.filter((w) => selects(svc.selector, w.labels))) {
    for (const p of svc.ports) views.push(workloadEntryView(w, entryPort(w, p), p.name));
  }
  return withUniqueIds(views);
}

/** A ServiceEntry host's instances: its own endpoints, else the WorkloadEntries its workloadSelector picks. */
function entryInstances(se: ServiceEntry, data: Namespace): InstanceView[] {
  const views: InstanceView[] = [];
  for (const p of se.ports) {
    const fallback = p.targetPort ?? p.number;
    for (const e of se.endpoints) views.push(seEndpointView(e, e.ports[p.name] ?? fallback, p.name));
    for (const w of data.workloads.filter((w) => selects(se.workloadSelector, w.labels))) views.push(workloadEntryView(w, w.ports[p.name] ?? fallback, p.name));
  }
  return withUniqueIds(views);
}

interface Found {
  name: string;
  instances: InstanceView[];
  notes: string[];
  pods: Set<string>;
}

function servicesOf(data: Namespace): Found[] {
  const out: Found[] = data.services.map((svc) => {
    const instances = serviceInstances(svc, data);
    const notes = svc.type === 'ExternalName' ? [`${svc.name} is an ExternalName Service: it is a DNS alias with no endpoints`] : [];
    return { name: svc.name, instances, notes, pods: new Set(instances.map((i) => i.metadata.pod).filter((p): p is string => !!p)) };
  });
  for (const se of data.entries) {
    for (const host of se.hosts) {
      const instances = entryInstances(se, data);
      const notes: string[] = [];
      if (instances.length === 0 && se.resolution === 'DNS') notes.push(`${host} is resolved by DNS: proxies connect to what DNS answers for it, so it lists no endpoints here`);
      out.push({ name: host, instances, notes, pods: new Set() });
    }
  }
  return out;
}

export async function listKube(ctx: IstioContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  const namespaces = filter.scope.namespace !== undefined ? [filter.scope.namespace] : ctx.o.namespaces;
  const [all, sync] = await Promise.all([Promise.all(namespaces.map(async (ns) => ({ ns, data: await readNamespace(ctx, ns, undefined, opts.signal) }))), readProxySync(ctx, undefined, opts.signal)]);
  for (const w of [...new Set(all.flatMap((x) => x.data.warnings)), ...meshSyncWarning(sync.proxies), ...sync.warnings]) opts.onWarning?.(w);
  const text = filter.text?.toLowerCase();
  const rows = all.flatMap(({ ns, data }) => servicesOf(data).map((f) => ({ backend: ctx.o.name, namespace: ns, name: f.name, ...counts(f.instances) })));
  opts.onProgress?.(rows.length);
  return rows.filter((r) => text === undefined || r.name.toLowerCase().includes(text)).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export async function getKube(ctx: IstioContext, ref: ServiceRef, signal?: AbortSignal): Promise<ServiceDetail> {
  const ns = ref.scope.namespace!;
  const [data, sync] = await Promise.all([readNamespace(ctx, ns, ref.name, signal), readProxySync(ctx, ns, signal)]);
  const found = servicesOf(data).find((f) => f.name === ref.name);
  if (!found) throw notFound(`service ${ref.name} is not in namespace ${ns} of ${ctx.http.where('kube')} (no Service or ServiceEntry host of that name)`, 'run "opsdeck services list" to see the services (and --namespace for another namespace)');
  return {
    backend: ctx.o.name,
    namespace: ns,
    name: found.name,
    instances: found.instances,
    warnings: [...found.notes, ...data.warnings, ...serviceSyncWarning(sync.proxies, (pod, pns) => pns === ns && found.pods.has(pod)), ...sync.warnings],
  };
}
