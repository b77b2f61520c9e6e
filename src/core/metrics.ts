/** The metrics subsystem: the Prometheus HTTP API's answers, passed through unchanged in `data`. */
import type { ScrapeTargetSpec } from './metrics-targets.js';

/** Prometheus `data` of /query and /query_range: `{resultType, result}` as the server sent it. */
export interface QueryData {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: unknown;
  /** The envelope's warnings, copied in only when there are some (Thanos' query data has this field too). */
  warnings?: string[];
}

/** Every answer carries the server's warnings (and Thanos partial-response notes); never swallowed. */
export interface MetricsAnswer<T> {
  data: T;
  warnings: string[];
}

export interface RangeQuery {
  expr: string;
  /** Unix seconds, already aligned to the step. */
  start: number;
  end: number;
  /** Seconds. */
  step: number;
}

/**
 * Thanos Query's per-request knobs (dedup, partial response, replica labels, downsampling). Given
 * per command they override the profile's; a plain Prometheus never receives them.
 */
export interface ThanosParams {
  dedup?: boolean;
  partialResponse?: boolean;
  replicaLabels?: string[];
  /** `auto`, or a duration such as `0s`, `5m`, `1h`. */
  maxSourceResolution?: string;
}

/** One store API endpoint as Thanos Query's /api/v1/stores reports it (times in ms since the epoch). */
export interface StoreStatus {
  name: string;
  lastCheck: string;
  lastError: string | null;
  labelSets: Array<Record<string, string>> | null;
  minTime: number;
  maxTime: number;
}

/** /api/v1/stores: endpoints keyed by component type (sidecar, store, rule, receive, query…). */
export type StoresData = Record<string, StoreStatus[]>;

export interface MetricsBackend {
  readonly name: string;
  // Every call takes the signal that abandons its request: Ctrl-C on a command, the console's
  // metrics pane closing. A hung server must never outlast the user's patience, only the deadline.
  query(expr: string, time?: number, thanos?: ThanosParams, signal?: AbortSignal): Promise<MetricsAnswer<QueryData>>;
  queryRange(q: RangeQuery, thanos?: ThanosParams, signal?: AbortSignal): Promise<MetricsAnswer<QueryData>>;
  targets(signal?: AbortSignal): Promise<MetricsAnswer<unknown>>;
  alerts(signal?: AbortSignal): Promise<MetricsAnswer<unknown>>;
  rules(signal?: AbortSignal): Promise<MetricsAnswer<unknown>>;
  /** Label names, or the values of one label. */
  labels(name?: string, signal?: AbortSignal): Promise<MetricsAnswer<string[]>>;
  series(matchers: string[], start?: number, end?: number, signal?: AbortSignal): Promise<MetricsAnswer<Array<Record<string, string>>>>;
  metadata(metric?: string, signal?: AbortSignal): Promise<MetricsAnswer<Record<string, Array<{ type: string; help: string; unit: string }>>>>;
  /** Thanos only: its store API endpoints; throws an 'unsupported' OpsError on a plain Prometheus. */
  stores?(): Promise<MetricsAnswer<StoresData>>;
  /** The embedded backend only: its own store, which collects and imports. */
  store?: MetricsStoreOps;
}

/** What the embedded metrics store does besides answering queries. */
export interface MetricsStoreOps {
  /**
   * Scrapes and stores until the signal aborts, then flushes and resolves. Throws a conflict when
   * another process is already collecting into the same data dir.
   */
  collect(opts: CollectOptions): Promise<CollectSummary>;
  /** Loads a text-format or OpenMetrics dump (samples with timestamps). */
  importText(text: string, source: string): Promise<ImportSummary>;
  /** Series, samples, bytes in memory and on disk, and who collects. */
  stats(): Promise<StoreStats>;
  /** The HTTP API's bearer token (made on first use); shown only when asked for. */
  apiToken(): Promise<string>;
}

export interface CollectOptions {
  signal: AbortSignal;
  /** Targets found in the registries, asked again every `discoverEveryMs`. */
  discover?: () => Promise<ScrapeTargetSpec[]>;
  /** Serve the Prometheus HTTP API while collecting. */
  listen?: { host: string; port: number; auth: boolean };
  /** Called once collection runs (with the HTTP address when serving). */
  onReady?(info: { targets: number; url: string | null }): void;
}

export interface CollectSummary {
  scrapes: number;
  samples: number;
  flushes: number;
}

export interface ImportSummary {
  source: string;
  format: string;
  samples: number;
  /** Samples refused: out of order, or a second value at a time already stored. */
  rejected: number;
  /** Samples that carried no timestamp and were stamped with the import time. */
  untimed: number;
  series: number;
  minTime: string | null;
  maxTime: string | null;
}

export interface StoreStats {
  dataDir: string;
  collecting: boolean;
  series: number;
  samples: number;
  memoryBytes: number;
  chunkBytes: number;
  diskBytes: number;
  bytesPerSample: number | null;
  minTime: string | null;
  maxTime: string | null;
  retention: { time: string; bytes: number };
  problems: string[];
}

/** The most points Prometheus (and Thanos) return per series in one range query. */
export const MAX_POINTS = 11_000;

/**
 * Picks the step for a range query and aligns start and end to it. The step is never below what
 * keeps the query under 11,000 points per series, and aligned bounds keep refreshed charts from
 * jittering sideways (what Grafana does too).
 */
export function planRange(start: number, end: number, wantedStep: number | undefined, columns = 120): RangeQuery & { clamped: boolean } {
  const span = Math.max(1, end - start);
  const safe = span / MAX_POINTS;
  const auto = span / Math.max(10, columns * 2);
  let step = Math.max(wantedStep ?? auto, safe, 0.001);
  const clamped = wantedStep !== undefined && step > wantedStep;
  // Whole seconds read better and align cleanly once the step is at least a second.
  if (step >= 1) step = Math.ceil(step);
  const alignedStart = Math.floor(start / step) * step;
  const alignedEnd = Math.max(alignedStart, Math.floor(end / step) * step);
  return { expr: '', start: alignedStart, end: alignedEnd, step, clamped };
}
