import type { ThanosParams } from '../../core/metrics.js';
import { list, str } from '../input.js';
import type { Input, OptionSpec } from '../types.js';

/** Per-command Thanos knobs for query, range and watch; each overrides the profile's value. */
export const THANOS_FLAGS: readonly OptionSpec[] = [
  { name: 'dedup', value: 'bool', summary: 'Thanos: merge HA replicas (false shows each replica)', choices: ['true', 'false'] },
  { name: 'partial-response', value: 'bool', summary: 'Thanos: answer with warnings when some stores fail (false: fail instead)', choices: ['true', 'false'] },
  { name: 'replica-label', value: 'label', summary: "Thanos: replica label to deduplicate by (repeatable; replaces the profile's)", repeatable: true },
  { name: 'max-source-resolution', value: 'res', summary: 'Thanos: coarsest downsampled data to read: auto, 0s (raw), 5m, 1h' },
];

/** The flags given, or undefined when none was: the adapter checks the values and refuses them on plain Prometheus. */
export function thanosFlags(input: Input): ThanosParams | undefined {
  const bool = (name: string) => (str(input, name) === undefined ? undefined : str(input, name) === 'true');
  const p: ThanosParams = {
    dedup: bool('dedup'),
    partialResponse: bool('partial-response'),
    replicaLabels: list(input, 'replica-label').length > 0 ? list(input, 'replica-label') : undefined,
    maxSourceResolution: str(input, 'max-source-resolution'),
  };
  return Object.values(p).some((v) => v !== undefined) ? p : undefined;
}
