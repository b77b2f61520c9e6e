import type { RegistryBackend, WriteOptions } from '../../core/registry.js';
import { withRequestSignal } from '../kit/with-signal.js';
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
    register: (ref, req, o) => register(signalled(ctx, o), ref, req),
    deregister: (ref, id, o) => deregister(signalled(ctx, o), ref, id),
    deregisterWarning: (instance) => deregisterWarning(instance, ctx.now()),
    heartbeat: (ref, id, o) => heartbeat(signalled(ctx, o), ref, id),
    setTraffic: (ref, id, traffic, o) => setTraffic(signalled(ctx, o), ref, id, traffic),
    updateMetadata: (ref, id, change, o) => updateMetadata(signalled(ctx, o), ref, id, change),
  };
}

/** The context whose requests carry the write's signal (Ctrl-C aborts them). */
function signalled(ctx: EurekaContext, o: WriteOptions | undefined): EurekaContext {
  return o?.signal === undefined ? ctx : { ...ctx, http: withRequestSignal(ctx.http, o.signal) };
}
