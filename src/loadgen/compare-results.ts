import type { LoadResult } from './load-types.js';
import { totalLoadErrors } from './load-errors.js';
import { SNAPSHOT_PERCENTILES } from './snapshot-percentiles.js';

/** One figure of two runs: B's value against A's. */
export interface FigureDiff {
  a: number;
  b: number;
  /** b − a */
  delta: number;
  /** b / a, or null when a is 0. */
  ratio: number | null;
}

export interface PercentileDiff extends FigureDiff {
  /** "50", "99.9", … "100" (the max). Microseconds. */
  percentile: string;
}

export interface LoadComparison {
  requestsPerSec: FigureDiff;
  requests: FigureDiff;
  errors: FigureDiff;
  /** Mean latency, microseconds. */
  mean: FigureDiff;
  /** Every percentile both runs carry, in order, ending with the max. */
  latency: PercentileDiff[];
  /** Why the two may not be comparable (different plans, one corrected for coordinated omission and one not). */
  caveats: string[];
}

const diff = (a: number, b: number): FigureDiff => ({ a, b, delta: b - a, ratio: a === 0 ? null : b / a });

/** What changed from run A to run B (`bench compare A.json B.json`): data only, a view renders it. */
export function compareResults(a: LoadResult, b: LoadResult): LoadComparison {
  const latency: PercentileDiff[] = [];
  for (const p of SNAPSHOT_PERCENTILES.map(String)) {
    const x = a.latency.percentiles[p];
    const y = b.latency.percentiles[p];
    if (x !== undefined && y !== undefined) latency.push({ percentile: p, ...diff(x, y) });
  }
  const caveats: string[] = [];
  if (a.correctedForCoordinatedOmission !== b.correctedForCoordinatedOmission) {
    caveats.push(`only ${a.correctedForCoordinatedOmission ? 'A' : 'B'} measured latency from intended send times (a --rate run); the other measured from actual sends`);
  }
  if (a.rate !== b.rate) caveats.push(`the rates differ (${a.rate ?? 'none'} vs ${b.rate ?? 'none'} req/s)`);
  if (a.plan.connections !== b.plan.connections) caveats.push(`the connection counts differ (${a.plan.connections} vs ${b.plan.connections})`);
  if (a.plan.pipelining !== b.plan.pipelining) caveats.push(`the pipelining depths differ (${a.plan.pipelining} vs ${b.plan.pipelining})`);
  if (a.plan.method !== b.plan.method) caveats.push(`the methods differ (${a.plan.method} vs ${b.plan.method})`);
  if (a.interrupted || b.interrupted) caveats.push(`${a.interrupted && b.interrupted ? 'both runs were' : `run ${a.interrupted ? 'A' : 'B'} was`} interrupted`);
  return {
    requestsPerSec: diff(a.requestsPerSec, b.requestsPerSec),
    requests: diff(a.requests, b.requests),
    errors: diff(totalLoadErrors(a.errors), totalLoadErrors(b.errors)),
    mean: diff(a.latency.mean, b.latency.mean),
    latency,
    caveats,
  };
}
