import type { LoadErrors } from './load-types.js';
import type { WireLatency } from './latency-stats.js';

/** One target as a worker dials it: the address resolved once, the request bytes built once. */
export interface WorkerTarget {
  host: string;
  port: number;
  tls: boolean;
  /** For TLS: the name to verify (the URL's host), since `host` may be an IP address. */
  servername: string;
  request: Uint8Array;
  headRequest: boolean;
}

/** A worker's share of the plan (its `workerData`). */
export interface WorkerPlan {
  targets: WorkerTarget[];
  /** Target index of each of this worker's connections, and the offset of its pacing schedule. */
  connections: { target: number; phaseMs: number }[];
  pipelining: number;
  keepAlive: boolean;
  timeoutMs: number;
  durationMs: number | null;
  /** This worker's share of the request count, or null. */
  requests: number | null;
  /** Time between two intended sends on one connection (constant-rate mode), or null. */
  intervalMs: number | null;
  /** Whether anyone listens to the once-a-second reports. */
  progress: boolean;
}

export interface WireTarget {
  requests: number;
  bytes: number;
  statuses: Record<string, number>;
  errors: LoadErrors;
  latency: WireLatency;
}

export type ToWorker = { type: 'go' } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  /** Sent once a second; `latency` covers that second only. */
  | { type: 'progress'; seq: number; requests: number; errors: number; latency: WireLatency }
  | { type: 'done'; elapsedMs: number; targets: WireTarget[] };
