import type { RegistryBackend } from '../../core/registry.js';
import { deregister, heartbeat, register, setTraffic, setWeight, updateMetadata } from './agent-writes.js';
import { registryChanges } from './changes.js';
import { signalled, type ConsulContext } from './context.js';
import { consulScope, listScope } from './datacenters.js';
import { listServices } from './service-list.js';
import { getService } from './service-read.js';

/**
 * Consul as a registry: the catalog's services with their health from checks, datacenters as the
 * scope, maintenance mode as the drain, and every write sent to the agent that owns the instance.
 */
export function consulRegistry(ctx: ConsulContext): RegistryBackend {
  return {
    name: ctx.o.name,
    scope: consulScope(ctx),
    leaseTtl: 'per-instance',
    listServices: (filter, opts) => listServices(ctx, filter, opts),
    getService: (ref, opts) => getService(ctx, ref, opts?.signal),
    listScope: (kind) => listScope(ctx, kind),
    register: (ref, req, o) => register(signalled(ctx, o), ref, req),
    deregister: (ref, id, o) => deregister(signalled(ctx, o), ref, id),
    heartbeat: (ref, id, o) => heartbeat(signalled(ctx, o), ref, id),
    setTraffic: (ref, id, traffic, o) => setTraffic(signalled(ctx, o), ref, id, traffic),
    setWeight: (ref, id, weight, o) => setWeight(signalled(ctx, o), ref, id, weight),
    updateMetadata: (ref, id, change, o) => updateMetadata(signalled(ctx, o), ref, id, change),
    changes: (target, signal) => registryChanges(ctx, target, signal),
  };
}
