/**
 * Domain shapes shared by commands, renderers and adapters. The JSON output of the CLI is made of
 * these, so renaming a field is a breaking change for every runbook that reads it.
 */

/**
 * The content types of a config: Nacos' own set (its console offers text, json, xml, yaml, html,
 * properties and toml), which the other config centres, having no type field, get by extension.
 */
export type ConfigType = 'yaml' | 'json' | 'properties' | 'xml' | 'html' | 'toml' | 'text';
export const CONFIG_TYPES: readonly ConfigType[] = ['yaml', 'json', 'properties', 'xml', 'html', 'toml', 'text'];

/** The type a config's name suggests by its extension (`app.yml` → yaml, `page.htm` → html); null for none. */
export function typeOfName(name: string): ConfigType | null {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
  if (ext === 'yml') return 'yaml';
  if (ext === 'htm') return 'html';
  if (ext === 'txt') return 'text';
  return (CONFIG_TYPES as readonly string[]).includes(ext) ? (ext as ConfigType) : null;
}

export type ConfigOp = 'create' | 'update' | 'delete' | 'rollback';

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
 * How a listing over a profile's backends ended, as `cache keys` reports a scan: 'done'
 * (everything was covered), a bound it stopped at ('limit', 'time'), a part that did not answer
 * ('unreachable', 'timeout', 'unauthorized'), an entry that cannot list ('misconfigured'), or
 * another failure ('error').
 */
export type ListStop = 'done' | 'limit' | 'time' | 'unreachable' | 'timeout' | 'unauthorized' | 'misconfigured' | 'error';
export type LockListStop = ListStop;

/** One backend's part in a listing (locks, services, configs). */
export interface BackendCoverage {
  backend: string;
  complete: boolean;
  stoppedBy: ListStop;
  /** Why the backend gave nothing at all, when it failed; a listing cut short by a bound has none. */
  error: string | null;
  /** The next step for that error, where it has one (the console's red row shows it on Enter). */
  hint?: string;
  /** What the backend said about its own state while listing (`ListOptions.onWarning`); absent when nothing. */
  warnings?: string[];
}
export type LockBackendCoverage = BackendCoverage;

/**
 * Whether a listing over several backends is the whole answer. A reader of `-o json` sees a
 * partial answer in the data itself, not only in a warning on stderr.
 */
export interface Coverage {
  complete: boolean;
  /** The first incomplete backend's reason, in profile order; 'done' when complete. */
  stoppedBy: ListStop;
  backends: BackendCoverage[];
}

/** What `locks list` and `locks show` return: the locks, and whether they are all of them. */
export interface LockListing extends Coverage {
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
