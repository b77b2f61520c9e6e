import { OpsError } from '../../core/errors.js';
import type { ThanosParams } from '../../core/metrics.js';

/** Resolutions Thanos accepts: `auto`, a Prometheus duration (`0s`, `5m`, `1h30m`) or float seconds. */
const RESOLUTION = /^(auto|\d+(\.\d+)?|(\d+(ms|s|m|h|d|w|y))+)$/;

/** The snake_case spellings of the HTTP API, which people copy into profiles by habit. */
const HTTP_SPELLINGS: Record<string, string> = {
  partial_response: 'partialResponse',
  max_source_resolution: 'maxSourceResolution',
  replica_labels: 'replicaLabels',
  'replicaLabels[]': 'replicaLabels',
  replicaLabel: 'replicaLabels',
};

/**
 * Reads the Thanos keys of a metrics profile. They are allowed on `type: prometheus` too (the
 * adapter sends them only once /api/v1/stores shows the server is Thanos Query).
 */
export function parseThanosOptions(o: Record<string, unknown>): ThanosParams {
  for (const [wrong, right] of Object.entries(HTTP_SPELLINGS)) {
    if (o[wrong] !== undefined) throw new OpsError('config', `metrics: unknown key "${wrong}"`, `the profile key is ${right}`);
  }
  const out: ThanosParams = {};
  for (const key of ['dedup', 'partialResponse'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new OpsError('config', `metrics: ${key} must be true or false, not ${JSON.stringify(v)}`, `for example ${key}: false`);
    out[key] = v;
  }
  if (o.replicaLabels !== undefined) out.replicaLabels = checkReplicaLabels(o.replicaLabels, 'metrics: replicaLabels', 'replicaLabels: [replica, prometheus_replica]');
  if (o.maxSourceResolution !== undefined) {
    const v = typeof o.maxSourceResolution === 'number' && o.maxSourceResolution >= 0 ? `${o.maxSourceResolution}s` : o.maxSourceResolution;
    out.maxSourceResolution = checkResolution(v, 'metrics: maxSourceResolution');
  }
  return out;
}

function checkReplicaLabels(v: unknown, what: string, example: string, kind: 'config' | 'usage' = 'config'): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    throw new OpsError(kind, `${what} must be a non-empty list of label names`, `for example ${example}`);
  }
  return v.map((x: string) => x.trim());
}

function checkResolution(v: unknown, what: string, kind: 'config' | 'usage' = 'config'): string {
  if (typeof v !== 'string' || !RESOLUTION.test(v.trim())) {
    throw new OpsError(kind, `${what} must be auto or a duration such as 0s, 5m or 1h, not ${JSON.stringify(v)}`, 'Thanos keeps raw data (0s) and 5m and 1h downsamples; auto picks step/5');
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
  if (p?.replicaLabels !== undefined && p.replicaLabels.length > 0) out.replicaLabels = checkReplicaLabels(p.replicaLabels, '--replica-label', '--replica-label replica', 'usage');
  if (p?.maxSourceResolution !== undefined) out.maxSourceResolution = checkResolution(p.maxSourceResolution, '--max-source-resolution', 'usage');
  return out;
}
