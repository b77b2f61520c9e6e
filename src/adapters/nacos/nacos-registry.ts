import { OpsError } from '../../core/errors.js';
import type { RegistryBackend } from '../../core/registry.js';
import { withSignal, type NacosContext } from './context.js';
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
    // Nacos applies its own heartbeat timeouts (or the instance's preserved.* metadata): no TTL field.
    leaseTtl: 'server',
    listServices: (filter, opts) => listServices(ctx, filter, opts),
    getService: (ref, opts) => readDetail(ctx, ref, opts?.signal),
    async listScope(kind) {
      if (kind === 'namespace') return ctx.namespaces.list();
      // Nacos has no list of groups: a group exists while a service or config names it.
      throw new OpsError('unsupported', `${ctx.http.where} keeps no list of ${kind === 'group' ? 'groups' : `${kind}s`}`, kind === 'group' ? 'services list and config list show the groups in use' : 'Nacos scopes are namespace and group');
    },
    register: (ref, req, o) => register(withSignal(ctx, o?.signal), ref, req),
    deregister: (ref, id, o) => deregister(withSignal(ctx, o?.signal), ref, id),
    heartbeat: (ref, id, o) => heartbeat(withSignal(ctx, o?.signal), ref, id),
    setTraffic: (ref, id, traffic, o) => setTraffic(withSignal(ctx, o?.signal), ref, id, traffic),
    setWeight: (ref, id, weight, o) => setWeight(withSignal(ctx, o?.signal), ref, id, weight),
    updateMetadata: (ref, id, change, o) => updateMetadata(withSignal(ctx, o?.signal), ref, id, change),
  };
}
