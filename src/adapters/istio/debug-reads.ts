import { notFound } from '../../core/errors.js';
import type { InstanceView, ServiceDetail, ServiceRef, ServiceSummary } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { IstioContext } from './context.js';
import { readEndpointz, readRegistryz, readSyncz, type MeshEndpoint, type MeshService, type ProxySync } from './debug-answers.js';
import { counts, endpointView, healthScheme, UNKNOWN_SCHEME, withUniqueIds } from './mesh-view.js';
import { readRules, subsetsOf, withSubsets } from './subsets.js';
import { meshSyncWarning, serviceSyncWarning } from './sync-status.js';

/**
 * Path A: istiod's own view through its debug port. /debug/registryz lists every service of every
 * registry istiod reads (Kubernetes, ServiceEntry, other clusters), /debug/endpointz the endpoints
 * it pushes to proxies, /debug/syncz which proxies acknowledged the last push. Each is one dump
 * of everything (no filter on the server), read once per command.
 */

export async function registryz(ctx: IstioContext, signal?: AbortSignal): Promise<MeshService[]> {
  const path = '/debug/registryz';
  return readRegistryz(ctx.http.shape('debug', path), await ctx.http.get('debug', path, { signal }));
}

async function endpointz(ctx: IstioContext, signal?: AbortSignal): Promise<{ views: Map<string, InstanceView[]>; warnings: string[] }> {
  const path = '/debug/endpointz';
  const { endpoints, shape } = readEndpointz(ctx.http.shape('debug', path), await ctx.http.get('debug', path, { signal }));
  const scheme = healthScheme(endpoints, shape, ctx.o.istioVersion);
  const byService = new Map<string, MeshEndpoint[]>();
  for (const e of endpoints) {
    const k = key(e.namespace, e.hostname);
    byService.set(k, [...(byService.get(k) ?? []), e]);
  }
  const views = new Map<string, InstanceView[]>();
  for (const [k, list] of byService) views.set(k, withUniqueIds(list.map((e) => endpointView(e, scheme))));
  return { views, warnings: scheme === 'unknown' ? [UNKNOWN_SCHEME] : [] };
}

/** The proxies' sync state; a failure here only loses the warning, never the listing (older istiod, a token allowed less). */
async function syncz(ctx: IstioContext, namespace: string | undefined, signal?: AbortSignal): Promise<{ proxies: ProxySync[]; warnings: string[] }> {
  if (!ctx.http.has('debug')) return { proxies: [], warnings: [] };
  const path = '/debug/syncz';
  try {
    const body = await ctx.http.get('debug', path, { signal, ...(namespace !== undefined ? { query: { namespace } } : {}) });
    return { proxies: readSyncz(ctx.http.shape('debug', path), body), warnings: [] };
  } catch (e) {
    return { proxies: [], warnings: [`which proxies are stale is not known: ${(e as Error).message}`] };
  }
}

export { syncz as readProxySync };

/** istiod's DestinationRules; a failure loses only the subsets, and says so. */
async function rules(ctx: IstioContext, signal?: AbortSignal): Promise<{ rules: ReturnType<typeof readRules>; warnings: string[] }> {
  const path = '/debug/configz';
  try {
    return { rules: readRules(ctx.http.shape('debug', path), await ctx.http.get('debug', path, { signal })), warnings: [] };
  } catch (e) {
    return { rules: [], warnings: [`the DestinationRule subsets of the instances are not known: ${(e as Error).message}`] };
  }
}

const key = (namespace: string, hostname: string) => `${namespace}\u0000${hostname}`;

function inScope(svc: MeshService, scope: Scope): boolean {
  return scope.namespace === undefined || svc.namespace === scope.namespace;
}

export async function listMesh(ctx: IstioContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  const [services, eps, sync] = await Promise.all([registryz(ctx, opts.signal), endpointz(ctx, opts.signal), syncz(ctx, undefined, opts.signal)]);
  opts.onProgress?.(services.length);
  for (const w of [...eps.warnings, ...meshSyncWarning(sync.proxies), ...sync.warnings]) opts.onWarning?.(w);
  const text = filter.text?.toLowerCase();
  return services
    .filter((s) => inScope(s, filter.scope) && (text === undefined || s.name.toLowerCase().includes(text) || s.hostname.toLowerCase().includes(text)))
    .map((s) => ({ backend: ctx.o.name, namespace: s.namespace, name: s.name, ...counts(eps.views.get(key(s.namespace, s.hostname)) ?? []) }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** The namespaces istiod has services in. */
export async function meshNamespaces(ctx: IstioContext): Promise<string[]> {
  return [...new Set((await registryz(ctx)).map((s) => s.namespace))].sort();
}

/** A service by its name or its hostname (reviews, or reviews.shop.svc.cluster.local) in the namespace. */
export function pick(services: readonly MeshService[], ref: ServiceRef): MeshService | undefined {
  const inNs = services.filter((s) => s.namespace === ref.scope.namespace);
  return inNs.find((s) => s.name === ref.name) ?? inNs.find((s) => s.hostname === ref.name);
}

export function describeMeshService(s: MeshService): string[] {
  const notes: string[] = [];
  if (s.meshExternal) notes.push(`${s.hostname} is outside the mesh (a ServiceEntry with location MESH_EXTERNAL)`);
  if (s.resolution === 1) notes.push(`${s.hostname} is resolved by DNS: proxies connect to what DNS answers, so endpoints istiod does not list may exist`);
  if (s.resolution === 2) notes.push(`${s.hostname} is passthrough: proxies connect to the address the caller asked for, so it has no endpoints of its own`);
  return notes;
}

export async function getMesh(ctx: IstioContext, ref: ServiceRef, signal?: AbortSignal): Promise<ServiceDetail> {
  const namespace = ref.scope.namespace!;
  const [services, eps, sync, config] = await Promise.all([registryz(ctx, signal), endpointz(ctx, signal), syncz(ctx, namespace, signal), rules(ctx, signal)]);
  const svc = pick(services, ref);
  if (!svc) throw notFound(`service ${ref.name} is not in istiod's registry (namespace ${namespace}) at ${ctx.http.where('debug')}`, 'run "opsdeck services list" to see the services and their namespaces');
  const subsets = subsetsOf(config.rules, svc);
  const instances = (eps.views.get(key(svc.namespace, svc.hostname)) ?? []).map((i) => withSubsets(i, subsets));
  // istiod's endpoints name their workload, not their pod: a Deployment's pods are "<workload>-<hash>-<id>".
  const workloads = new Set(instances.map((i) => i.metadata['istio.workload']).filter((w): w is string => !!w));
  const owns = (pod: string, ns: string) => ns === svc.namespace && [...workloads].some((w) => pod === w || pod.startsWith(`${w}-`));
  return {
    backend: ctx.o.name,
    namespace: svc.namespace,
    name: svc.name,
    instances,
    warnings: [...describeMeshService(svc), ...eps.warnings, ...serviceSyncWarning(sync.proxies, owns), ...sync.warnings, ...config.warnings],
  };
}
