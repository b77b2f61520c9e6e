import type { ServiceRef } from '../../core/subsystems.js';
import { arg, endpointArg } from '../arg-types.js';
import { GROUP, NAMESPACE } from '../input.js';
import type { Values } from '../types.js';

/** The SERVICE IP:PORT pair and namespace/group options every instance command takes. */
export const INSTANCE_ARGS = {
  service: arg({ summary: 'service name', complete: 'service' }),
  address: endpointArg({ summary: 'instance address as IP:PORT', complete: 'instance' }),
};
export const INSTANCE_OPTIONS = { namespace: NAMESPACE, group: GROUP };

export function instanceTarget(input: { args: Values<typeof INSTANCE_ARGS>; opts: Values<typeof INSTANCE_OPTIONS> }): { ref: ServiceRef; ip: string; port: number } {
  const { args, opts } = input;
  return { ref: { namespace: opts.namespace, group: opts.group, service: args.service }, ...args.address };
}
