import { OpsError } from '../../core/errors.js';
import type { RegistryBackend } from '../../core/registry.js';
import type { NacosContext } from './context.js';
import { deregister, heartbeat, readDetail, register, setTraffic, setWeight, updateMetadata } from './instance-writes.js';
import { NACOS_SCOPE } from './namespaces.js';
import { listServices } from './service-list.js';

/**
 * Nacos as a registry: services and instances read through the console/admin API (so drained
 * instances show), the instance writes of `instance-writes.ts`, and the namespaces as a scope.
 */
export function nacosRegistry(ctx: NacosContext): RegistryBackend {
  return {
    name: ctx.o.name,
    scope: NACOS_SCOPE,
    listServices: (filter, opts) => listServices(ctx, filter, opts),
    getService: (ref, opts) => readDetail(ctx, ref, opts?.signal),
    async listScope(kind) {
      if (kind === 'namespace') return ctx.namespaces.list();
      // Nacos has no list of groups: a group exists while a service or config names it.
      throw new OpsError('unsupported', `${ctx.http.where} keeps no list of ${kind === 'group' ? 'groups' : `${kind}s`}`, kind === 'group' ? 'services list and config list show the groups in use' : 'Nacos scopes are namespace and group');
    },
    register: (ref, req) => register(ctx, ref, req),
    deregister: (ref, id) => deregister(ctx, ref, id),
    heartbeat: (ref, id) => heartbeat(ctx, ref, id),
    setTraffic: (ref, id, traffic) => setTraffic(ctx, ref, id, traffic),
    setWeight: (ref, id, weight) => setWeight(ctx, ref, id, weight),
    updateMetadata: (ref, id, change) => updateMetadata(ctx, ref, id, change),
  };
}
