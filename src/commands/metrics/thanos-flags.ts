import type { ThanosParams } from '../../core/metrics.js';
import { boolTextOpt, listOpt, stringOpt } from '../option-types.js';
import type { Values } from '../types.js';

/** Per-command Thanos knobs for query, range and watch; each overrides the profile's value. */
export const THANOS_FLAGS = {
  dedup: boolTextOpt({ value: 'bool', summary: 'Thanos: merge HA replicas (false shows each replica)' }),
  'partial-response': boolTextOpt({ value: 'bool', summary: 'Thanos: answer with warnings when some stores fail (false: fail instead)' }),
  'replica-label': listOpt({ value: 'label', summary: "Thanos: replica label to deduplicate by (repeatable; replaces the profile's)" }),
  'max-source-resolution': stringOpt({ value: 'res', summary: 'Thanos: coarsest downsampled data to read: auto, 0s (raw), 5m, 1h' }),
};

/** The flags given, or undefined when none was: the adapter checks the values and refuses them on plain Prometheus. */
export function thanosFlags(opts: Values<typeof THANOS_FLAGS>): ThanosParams | undefined {
  const p: ThanosParams = {
    dedup: opts.dedup,
    partialResponse: opts['partial-response'],
    replicaLabels: opts['replica-label'].length > 0 ? opts['replica-label'] : undefined,
    maxSourceResolution: opts['max-source-resolution'],
  };
  return Object.values(p).some((v) => v !== undefined) ? p : undefined;
}
