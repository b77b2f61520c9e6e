import type { RegistryBackend } from '../../core/registry.js';
import type { ScopeKind, ScopeModel } from '../../core/scope.js';
import { READ_ONLY_REASON, type IstioContext } from './context.js';
import { getMesh, listMesh, meshNamespaces } from './debug-reads.js';
import { getKube, listKube } from './kube-reads.js';

/**
 * Istio as a registry, read-only: services are Kubernetes Services and ServiceEntry hosts, scoped
 * by namespace; instances are the endpoints istiod pushes (from its debug port) or the
 * EndpointSlices and WorkloadEntries it reads them from (from the Kubernetes API). With both urls
 * the Kubernetes API gives the services and istiod which proxies are stale. No write method is
 * present, so every mutating command refuses naming READ_ONLY_REASON, and panes hide their keys.
 */
export function istioRegistry(ctx: IstioContext): RegistryBackend {
  const scope: ScopeModel = Object.freeze({ kinds: Object.freeze(['namespace'] as ScopeKind[]), defaults: Object.freeze({ namespace: ctx.o.namespace }) });
  const kube = ctx.http.has('kube');
  return {
    name: ctx.o.name,
    scope,
    readOnly: READ_ONLY_REASON,
    // Nothing registers through opsdeck here; Kubernetes and the proxies decide what is listed.
    leaseTtl: 'server',
    listServices: (filter, opts) => (kube ? listKube(ctx, filter, opts) : listMesh(ctx, filter, opts)),
    getService: (ref, opts) => (kube ? getKube(ctx, ref, opts?.signal) : getMesh(ctx, ref, opts?.signal)),
    async listScope(kind) {
      if (kind !== 'namespace') return [];
      const ids = kube ? ctx.o.namespaces : await meshNamespaces(ctx);
      return ids.map((id) => ({ id, name: id, description: null }));
    },
  };
}
