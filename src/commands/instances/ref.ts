import { notFound, usage } from '../../core/errors.js';
import { describeScope } from '../../core/scope.js';
import { matchInstance, type InstanceView, type RegistryBackend, type WriteNote } from '../../core/registry.js';
import { nameArg } from '../arg-types.js';
import { requireCapability } from '../capability.js';
import { SERVICE_ARG, SERVICE_OPTIONS, findService, type ServiceTarget } from '../services/target.js';
import type { Ctx, Values } from '../types.js';

/** SERVICE INSTANCE: the instance by the backend's id, or by an IP:PORT that names exactly one. */
export const INSTANCE_ARGS = {
  ...SERVICE_ARG,
  instance: nameArg({ summary: "the instance: the registry's id for it, or IP:PORT", complete: 'instance', example: '10.0.1.11:8080' }),
};
export const INSTANCE_OPTIONS = SERVICE_OPTIONS;

export interface InstanceTarget<K extends keyof RegistryBackend> extends ServiceTarget {
  registry: RegistryBackend & Required<Pick<RegistryBackend, K>>;
  instance: InstanceView;
}

/** A write's result as the command returns it, each of its warnings printed on stderr as well. */
export function noted<T extends WriteNote>(ctx: Pick<Ctx, 'warn'>, result: T): T {
  for (const w of result.warnings ?? []) ctx.warn(w);
  return result;
}

/**
 * The registry, service and instance a command acts on, refusing first (before reading, when the
 * profile has one registry) a backend without the capability: "backend eureka cannot set weights".
 */
export async function findInstance<K extends keyof RegistryBackend>(
  ctx: Pick<Ctx, 'session' | 'signal'>,
  input: { args: Values<typeof INSTANCE_ARGS>; opts: Values<typeof INSTANCE_OPTIONS> },
  capability: K,
  what: string,
): Promise<InstanceTarget<K>> {
  const { args, opts } = input;
  const target = await findService(ctx, args.service, opts, { need: (r) => requireCapability(r, capability, what) });
  const detail = target.found!;
  const match = matchInstance(detail, args.instance);
  const where = `${args.service} (${[target.backend.name, describeScope(target.scope)].filter(Boolean).join(', ')})`;
  if (match.kind === 'ambiguous') {
    throw usage(`${args.instance} names ${match.candidates.length} instances of ${where}: ${match.candidates.map((c) => c.id).join(', ')}`, 'give the instance id instead of the address');
  }
  if (match.kind === 'none') {
    throw notFound(`instance ${args.instance} is not registered in ${where}`, `run "opsdeck services show ${args.service}" to see its instances`);
  }
  return { ...target, registry: requireCapability(target.backend, capability, what), instance: match.instance };
}
