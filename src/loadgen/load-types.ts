/**
 * The contract between the load engine (worker threads, histograms, pacing) and its front ends
 * (`bench` commands, the console's live view, bench/load.mjs). Plain data only, so a result can
 * cross a worker boundary, be written as JSON and be compared later.
 */

/** One address the load is spread over: a URL, or one registry instance of `bench service`. */
export interface LoadTarget {
  url: string;
  /** The row label in per-target results (an instance id or `host:port`); the URL when absent. */
  label?: string;
}

export interface LoadPlan {
  targets: LoadTarget[];
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Stop after this long; with `requests` too, whichever comes first. */
  durationMs?: number;
  /** Stop after this many responses in all. */
  requests?: number;
  /** Open connections in all, spread over workers and targets. */
  connections: number;
  /** Worker threads, each with its own event loop. */
  workers: number;
  /** A request with no complete answer after this long counts as a timeout error. */
  timeoutMs: number;
  keepAlive: boolean;
  /** Requests in flight per connection (1 = no pipelining). */
  pipelining?: number;
  /**
   * Constant throughput in requests/s over all workers. When set, latency is measured from each
   * request's intended send time (the coordinated-omission correction of wrk2).
   */
  rate?: number;
}

/** Socket-level failures, counted apart from HTTP status codes. */
export interface LoadErrors {
  connect: number;
  read: number;
  write: number;
  timeout: number;
  other: number;
}

/** A latency histogram in a form that merges exactly and survives JSON. Values in microseconds. */
export interface HistogramSnapshot {
  /** Count of every recorded value. */
  count: number;
  min: number;
  max: number;
  mean: number;
  stddev: number;
  /** Percentile → microseconds, for at least 50, 75, 90, 99, 99.9, 99.99, 99.999 and 100. */
  percentiles: Record<string, number>;
  /** HdrHistogram's compressed V2 encoding (base64), readable by other HdrHistogram tools. */
  encoded: string;
}

export interface TargetResult {
  label: string;
  url: string;
  requests: number;
  bytes: number;
  /** HTTP status code (as a string) → count. */
  statuses: Record<string, number>;
  errors: LoadErrors;
  latency: HistogramSnapshot;
}

export interface LoadResult {
  /** ISO time the load began. */
  startedAt: string;
  elapsedMs: number;
  requests: number;
  bytes: number;
  requestsPerSec: number;
  statuses: Record<string, number>;
  errors: LoadErrors;
  latency: HistogramSnapshot;
  perTarget: TargetResult[];
  /** The rate asked for, when constant-throughput mode was on. */
  rate: number | null;
  /** True when latency was measured from intended send times (only with a rate). */
  correctedForCoordinatedOmission: boolean;
  /** True when the run was stopped early (Ctrl-C, the console closing the view). */
  interrupted: boolean;
  plan: { connections: number; workers: number; durationMs: number | null; requests: number | null; method: string; keepAlive: boolean; pipelining: number };
}

/** What a running load reports about once a second; cheap to build, never blocks the load loop. */
export interface LoadProgress {
  elapsedMs: number;
  /** Answers since the start (the interval's count is requestsPerSec). */
  requests: number;
  /** Requests/s over the last interval. */
  requestsPerSec: number;
  /** Latency over the last interval, microseconds. */
  p50: number;
  p99: number;
  /** Socket errors since the start. */
  errors: number;
}

export interface RunLoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
}
