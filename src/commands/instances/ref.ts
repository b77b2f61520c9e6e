import { parseEndpoint } from '../../core/endpoint.js';
import type { ServiceRef } from '../../core/subsystems.js';
import { DEFAULT_GROUP, DEFAULT_NAMESPACE, GROUP, NAMESPACE, req, str } from '../input.js';
import type { ArgSpec, Input, OptionSpec } from '../types.js';

/** The SERVICE IP:PORT pair and namespace/group options every instance command takes. */
export const INSTANCE_ARGS: readonly ArgSpec[] = [
  { name: 'service', summary: 'service name', required: true, complete: 'service' },
  { name: 'address', summary: 'instance address as IP:PORT', required: true, complete: 'instance' },
];
export const INSTANCE_OPTIONS: readonly OptionSpec[] = [NAMESPACE, GROUP];

export function instanceTarget(input: Input): { ref: ServiceRef; ip: string; port: number } {
  const { ip, port } = parseEndpoint(req(input, 'address'));
  return {
    ref: { namespace: str(input, 'namespace') ?? DEFAULT_NAMESPACE, group: str(input, 'group') ?? DEFAULT_GROUP, service: req(input, 'service') },
    ip,
    port,
  };
}
