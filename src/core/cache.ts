/** The cache subsystem: read-only inspection of a cache server (Redis today). */
export interface CacheStats {
  backend: string;
  version: string | null;
  hitRatio: number | null;
  hits: number | null;
  misses: number | null;
  opsPerSec: number | null;
  usedMemoryBytes: number | null;
  peakMemoryBytes: number | null;
  maxMemoryBytes: number | null;
  evictionPolicy: string | null;
  evictedKeys: number | null;
  expiredKeys: number | null;
  keys: number | null;
}

export interface CacheKey {
  key: string;
  type: string;
  /** Remaining TTL in ms; null when the key does not expire. */
  ttlMs: number | null;
  memoryBytes: number | null;
  /** LFU access frequency counter, where the eviction policy keeps one. */
  frequency?: number | null;
  /** Elements of a collection, or length of a string. */
  size?: number | null;
}

export interface CacheScanOptions {
  /** How many keys to return at most. */
  limit: number;
  /** Stop scanning after this long, returning what was found. */
  timeMs: number;
  signal?: AbortSignal;
  /** Told how the scan ended, so a command can say whether its sample covers the whole keyspace. */
  onScanEnd?: (summary: CacheScanSummary) => void;
}

/** How a bounded scan ended. */
export interface CacheScanSummary {
  /** Every node's SCAN cursor came back to 0 and no matching key was left out. */
  complete: boolean;
  /** 'done' (the keyspace was covered), 'limit' (enough keys were found) or 'time' (the bound ran out). */
  stoppedBy: 'done' | 'limit' | 'time';
  /** Keys SCAN returned (after MATCH) before it stopped. */
  scanned: number;
}

/** What `cache keys`, `cache hotkeys` and `cache bigkeys` print: the sample and how it was taken. */
export interface CacheSample {
  /** null when the backend does not say how its scan ended. */
  complete: boolean | null;
  stoppedBy: CacheScanSummary['stoppedBy'] | null;
  scanned: number | null;
  keys: CacheKey[];
}

/** A bounded sample of the keys a cache server is asked for, taken as they happen (Redis MONITOR). */
export interface KeyTraceOptions {
  /** Stop after this long. */
  timeMs: number;
  signal?: AbortSignal;
  /** Called with each key read, in the order the server saw them; false stops the sample there. */
  onKey(key: string): boolean;
}

export interface KeyTraceSummary {
  /** Key reads passed to onKey. */
  requests: number;
  /** Commands the server reported, reads or not. */
  commands: number;
  /** `bound`: onKey said stop (the caller's request or key bound). */
  stoppedBy: 'time' | 'bound' | 'aborted';
}

export interface CacheBackend {
  readonly name: string;
  stats(): Promise<CacheStats>;
  keys(pattern: string, opts: CacheScanOptions): Promise<CacheKey[]>;
  /** Most frequently used keys; throws an OpsError ('unsupported') unless an LFU policy is on. */
  hotKeys?(opts: CacheScanOptions): Promise<CacheKey[]>;
  /** Largest keys by memory found in a bounded scan. */
  bigKeys?(opts: CacheScanOptions): Promise<CacheKey[]>;
  /** Samples the keys clients read, for `cache simulate`. Costly for the server while it runs. */
  keyTrace?(opts: KeyTraceOptions): Promise<KeyTraceSummary>;
}
