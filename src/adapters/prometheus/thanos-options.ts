import { OpsError } from '../../core/errors.js';
import type { ThanosParams } from '../../core/metrics.js';

/** Resolutions Thanos accepts: `auto`, a Prometheus duration (`0s`, `5m`, `1h30m`) or float seconds. */
export const RESOLUTION = /^(auto|\d+(\.\d+)?|(\d+(ms|s|m|h|d|w|y))+)$/;
export const RESOLUTION_HINT = 'Thanos keeps raw data (0s) and 5m and 1h downsamples; auto picks step/5';

/** Per-command flags, checked like the profile's keys but reported as usage errors. */
function checkReplicaLabels(v: unknown, what: string, example: string): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    throw new OpsError('usage', `${what} must be a non-empty list of label names`, `for example ${example}`);
  }
  return v.map((x: string) => x.trim());
}

function checkResolution(v: unknown, what: string): string {
  if (typeof v !== 'string' || !RESOLUTION.test(v.trim())) {
    throw new OpsError('usage', `${what} must be auto or a duration such as 0s, 5m or 1h, not ${JSON.stringify(v)}`, RESOLUTION_HINT);
  }
  return v.trim();
}

/** Which Thanos knobs each endpoint reads (pkg/api/query/v1.go); labels ignore dedup and replicas. */
export type ThanosEndpoint = 'query' | 'series' | 'labels';

/** The form parameters for one request: per-command values win over the profile's. */
export function thanosParams(profile: ThanosParams, override: ThanosParams | undefined, endpoint: ThanosEndpoint): Array<[string, string]> {
  const p = { ...profile, ...definedOnly(override) };
  const out: Array<[string, string]> = [];
  if (endpoint !== 'labels') {
    if (p.dedup !== undefined) out.push(['dedup', String(p.dedup)]);
    for (const l of p.replicaLabels ?? []) out.push(['replicaLabels[]', l]);
  }
  if (p.partialResponse !== undefined) out.push(['partial_response', String(p.partialResponse)]);
  if (endpoint === 'query' && p.maxSourceResolution !== undefined) out.push(['max_source_resolution', p.maxSourceResolution]);
  return out;
}

/** Per-command values come from flags: checked like the profile's, but a mistake there is a usage error. */
function definedOnly(p: ThanosParams | undefined): ThanosParams {
  const out: ThanosParams = {};
  if (p?.dedup !== undefined) out.dedup = p.dedup;
  if (p?.partialResponse !== undefined) out.partialResponse = p.partialResponse;
  if (p?.replicaLabels !== undefined && p.replicaLabels.length > 0) out.replicaLabels = checkReplicaLabels(p.replicaLabels, '--replica-label', '--replica-label replica');
  if (p?.maxSourceResolution !== undefined) out.maxSourceResolution = checkResolution(p.maxSourceResolution, '--max-source-resolution');
  return out;
}
