/**
 * Domain shapes shared by commands, renderers and adapters. The JSON output of the CLI is made of
 * these, so renaming a field is a breaking change for every runbook that reads it.
 */

export interface ServiceSummary {
  namespace: string;
  group: string;
  name: string;
  instances: number;
  healthy: number;
}

export interface InstanceView {
  id: string;
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  metadata: Record<string, string>;
}

export interface ServiceDetail {
  namespace: string;
  group: string;
  name: string;
  instances: InstanceView[];
}

export type ConfigType = 'yaml' | 'json' | 'properties' | 'text';
export const CONFIG_TYPES: readonly ConfigType[] = ['yaml', 'json', 'properties', 'text'];

export interface ConfigItem {
  namespace: string;
  group: string;
  dataId: string;
  content: string;
  md5: string;
  type: ConfigType;
  version: number;
}

export interface ConfigSummary {
  namespace: string;
  group: string;
  dataId: string;
  md5: string;
  type: ConfigType;
  version: number;
  updatedAt: string;
}

export type ConfigOp = 'create' | 'update' | 'delete' | 'rollback';

export interface ConfigVersion {
  version: number;
  md5: string;
  updatedAt: string;
  op: ConfigOp;
}

export interface ConfigEvent {
  namespace: string;
  group: string;
  dataId: string;
  op: ConfigOp;
  version: number;
  md5: string | null;
  content: string | null;
  at: string;
}

/** One lock as the store shows it. Every fact the store does not hold is null, never guessed. */
export interface LockView {
  backend: string;
  name: string;
  kind: string;
  holder: string | null;
  acquiredAt: string | null;
  expiresAt: string | null;
  ttlMs: number | null;
  reentrancy: number | null;
  waiters: LockWaiter[] | null;
  token: number | string | null;
  /** Layout-specific facts (read-write mode and readers, semaphore permits, Redlock nodes). */
  details?: Record<string, unknown>;
}

/**
 * How a lock listing ended, as `cache keys` reports a scan: 'done' (everything was covered), a
 * bound it stopped at ('limit', 'time'), a part that did not answer ('unreachable', 'timeout',
 * 'unauthorized'), an entry that cannot list locks ('misconfigured'), or another failure ('error').
 */
export type LockListStop = 'done' | 'limit' | 'time' | 'unreachable' | 'timeout' | 'unauthorized' | 'misconfigured' | 'error';

/** One lock backend's part in a listing. */
export interface LockBackendCoverage {
  backend: string;
  complete: boolean;
  stoppedBy: LockListStop;
  /** Why the backend gave no locks at all, when it failed; a listing cut short by a bound has none. */
  error: string | null;
}

/**
 * What `locks list` and `locks show` return: the locks, and whether they are all of them. A reader
 * of `-o json` sees a partial answer in the data itself, not only in a warning on stderr.
 */
export interface LockListing {
  complete: boolean;
  /** The first incomplete backend's reason, in profile order; 'done' when complete. */
  stoppedBy: LockListStop;
  backends: LockBackendCoverage[];
  locks: LockView[];
}

export interface LockWaiter {
  owner: string;
  since: string | null;
  /** When the waiter gives up, where the store records it. */
  until: string | null;
}

export interface AcquireResult {
  name: string;
  holder: string;
  token: number | string | null;
  expiresAt: string | null;
}

export interface ReleaseResult {
  name: string;
  released: boolean;
  /** Holds left after a reentrant release; 0 means the lock is free. */
  remaining: number;
  forced: boolean;
  previousHolder: string | null;
}

export interface BackendStatus {
  subsystem: string;
  backend: string;
  reachable: boolean;
  version: string | null;
  latencyMs: number | null;
  error: string | null;
}
