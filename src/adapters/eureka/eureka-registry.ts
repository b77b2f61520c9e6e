import type { RegistryBackend } from '../../core/registry.js';
import type { ScopeModel } from '../../core/scope.js';
import { deregister, deregisterWarning, heartbeat, register, setTraffic, updateMetadata } from './instance-writes.js';
import { getService, listServices, type EurekaContext } from './reads.js';

/** Eureka addresses an application by its name alone: one flat space, no scope kinds, no defaults. */
export const EUREKA_SCOPE: ScopeModel = Object.freeze({ kinds: Object.freeze([]), defaults: Object.freeze({}) });

/**
 * Eureka as a registry: applications are services, instances are addressed by their instanceId
 * (or hostName where they have none). No weights: Eureka has none, so the capability is absent.
 */
export function eurekaRegistry(ctx: EurekaContext): RegistryBackend {
  return {
    name: ctx.o.name,
    scope: EUREKA_SCOPE,
    leaseTtl: 'per-instance',
    listServices: (filter, opts) => listServices(ctx, filter, opts),
    getService: (ref, opts) => getService(ctx, ref, opts?.signal),
    register: (ref, req) => register(ctx, ref, req),
    deregister: (ref, id) => deregister(ctx, ref, id),
    deregisterWarning: (instance) => deregisterWarning(instance, ctx.now()),
    heartbeat: (ref, id) => heartbeat(ctx, ref, id),
    setTraffic: (ref, id, traffic) => setTraffic(ctx, ref, id, traffic),
    updateMetadata: (ref, id, change) => updateMetadata(ctx, ref, id, change),
  };
}
