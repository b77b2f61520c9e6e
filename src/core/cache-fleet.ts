/**
 * The fleet cache view (`cache list`, `cache show`, the console's caches pane): one row per cache
 * per instance, whatever exported it. The JSON shapes are part of the scripting contract.
 */

/** Why a row deserves a look; the rules and their thresholds are in cache-flags.ts. */
export type CacheFlagKind = 'hit-ratio-drop' | 'evicting-at-bound' | 'noeviction-near-full';

export interface CacheFlag {
  kind: CacheFlagKind;
  /** One sentence with the figures that raised it. */
  message: string;
}

export interface CacheRow {
  /** Where the row was read: the metrics backend's name, or the Redis backend's. */
  source: string;
  /** The mapping that read it (`micrometer`, `bigcache`, `groupcache`, or one the profile names), or `redis`. */
  kind: string;
  cache: string;
  instance: string;
  /** The other labels the mapping keeps apart (Micrometer's `cache_manager`, `job`). */
  labels: Record<string, string>;
  /** What the rates and the ratio are over: the window (`5m`), or Redis' sample (`1s`), or `since start`. */
  window: string;
  /** Hits over lookups in the window; null with no lookups (no ratio, not a ratio of 0). */
  hitRatio: number | null;
  /** The same ratio over what the row is compared with: the hour before the window (Redis: since its start). */
  baselineHitRatio: number | null;
  /** Lookups per second (for groupcache: Gets). */
  requestsPerSec: number | null;
  evictionsPerSec: number | null;
  size: number | null;
  /** The bound the size is held to; null when unknown or unbounded. */
  bound: number | null;
  sizeUnit: 'entries' | 'bytes';
  /** size / bound. */
  fill: number | null;
  /** groupcache: the share of Gets served by loads from peers; null elsewhere. */
  peerShare: number | null;
  /** Redis' maxmemory-policy; null elsewhere. */
  policy: string | null;
  /** The kind's other figures, each named with its unit (`putsPerSec`, `collisionsPerSec`, `keys`). */
  extra: Record<string, number | null>;
  flags: CacheFlag[];
}

/** One source of rows and how far it answered, as the other listings' `backends` entries. */
export interface CacheSourceStatus {
  backend: string;
  /** `metrics` (the profile's Prometheus) or `cache` (its Redis). */
  subsystem: 'metrics' | 'cache';
  complete: boolean;
  stoppedBy: string;
  error: string | null;
}

/** `cache list`'s answer. */
export interface CacheFleet {
  complete: boolean;
  stoppedBy: string;
  backends: CacheSourceStatus[];
  window: string;
  caches: CacheRow[];
}

/** One sample of a chart: unix seconds and the value (null where it cannot be computed). */
export type CachePoint = [number, number | null];

/** One instance's history of a cache, for `cache show` and the pane's charts. */
export interface CacheHistory {
  source: string;
  instance: string;
  labels: Record<string, string>;
  hitRatio: CachePoint[];
  requestsPerSec: CachePoint[];
  evictionsPerSec: CachePoint[];
}

/** `cache show NAME`'s answer: the rows of that cache, and their history where a metrics backend keeps one. */
export interface CacheDetail extends CacheFleet {
  cache: string;
  /** The charts' span in seconds and their step. */
  range: { start: number; end: number; step: number };
  history: CacheHistory[];
  /** Why a row has no history (Redis keeps none), so an empty chart is explained. */
  notes: string[];
}
