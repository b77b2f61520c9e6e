import type { RegistryBackend, ServiceDetail, ServiceRef } from '../../core/registry.js';
import { nameArg } from '../arg-types.js';
import { findOne, poolOf, type Found } from '../find-one.js';
import { givenScope, REGISTRY_BACKEND, SCOPE_OPTIONS, type ScopeOpts } from '../input.js';
import type { Ctx } from '../types.js';

export const SERVICE_ARG = { service: nameArg({ summary: 'service name', complete: 'service', example: 'orders' }) };
/** What addresses one service: its registry (when the profile has several) and its scope. */
export const SERVICE_OPTIONS = { backend: REGISTRY_BACKEND, ...SCOPE_OPTIONS };

export interface ServiceTarget extends Found<RegistryBackend, ServiceDetail> {
  ref: ServiceRef;
}

/**
 * The registry that holds `service` in the scope given, and the service as it holds it (see
 * `findOne`). `creating`: registering may create the service, so absent is a result.
 */
export async function findService(
  ctx: Pick<Ctx, 'session'> & Partial<Pick<Ctx, 'signal'>>,
  service: string,
  opts: ScopeOpts & { backend?: string | undefined },
  how: { need?: (r: RegistryBackend) => void; creating?: boolean } = {},
): Promise<ServiceTarget> {
  const session = ctx.session;
  const found = await findOne<RegistryBackend, ServiceDetail>({
    noun: 'registry',
    pool: await poolOf(session.registryBackends(), opts.backend, (name) => session.registryBackend(name)),
    given: givenScope(opts),
    what: `service ${service}`,
    lookup: (r, scope) => r.getService({ scope, name: service }, ctx.signal ? { signal: ctx.signal } : {}),
    listHint: 'run "opsdeck services list" to see the services',
    ...how,
  });
  return { ...found, ref: { scope: found.scope, name: service } };
}
