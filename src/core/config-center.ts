import type { ListOptions } from './subsystems.js';
import type { WriteOptions } from './registry.js';
import type { Scope, ScopeModel } from './scope.js';
import type { ConfigOp, ConfigType, Coverage } from './types.js';

/**
 * The config centre contract, shaped by real backends (Nacos, Consul KV, etcd, ZooKeeper, Spring
 * Cloud Config layouts) rather than by the embedded store. Optional methods are capabilities: an
 * absent one makes its command fail naming the backend and the capability, and hides its pane key.
 */

/** One config, in the scope kinds of its backend. */
export interface ConfigRef {
  scope: Scope;
  dataId: string;
}

export type ConfigItem = Scope & {
  backend: string;
  dataId: string;
  content: string;
  type: ConfigType;
  /**
   * The backend's compare-and-set token for exactly this content: the md5 for Nacos and the
   * embedded store, etcd's mod_revision, Consul's ModifyIndex, the ZooKeeper node's version.
   * `config set --if-match TOKEN` publishes only while it is still current.
   */
  token: string;
  /** md5 of the content (computed by opsdeck where the backend stores none), for people and diffs. */
  md5: string;
  /** The backend's version counter, where it keeps one. */
  version: number | null;
  updatedAt: string | null;
};

export type ConfigSummary = Scope & {
  backend: string;
  dataId: string;
  type: ConfigType | null;
  md5: string | null;
  version: number | null;
  updatedAt: string | null;
};

/** What `config list` returns: every config backend asked on its own, as `locks list` does. */
export interface ConfigListing extends Coverage {
  configs: ConfigSummary[];
}

export interface ConfigVersion {
  /** The backend's id of this history entry (Nacos' nid; the embedded store's version number). */
  id: string;
  version: number | null;
  op: ConfigOp;
  at: string | null;
  /** md5 of the content this entry holds (see `contentIs`), where known. */
  md5: string | null;
  /** Who made the change and from where, where the backend records it. */
  by: string | null;
  from: string | null;
  /**
   * What `versionContent` returns for this entry: the content right after the change (the
   * embedded store), or right before it (Nacos' update and delete rows hold the old content).
   * Diffs and rollbacks read it through `contentAfter` so both kinds mean the same to the user.
   */
  contentIs: 'after' | 'before';
}

/** A config's history as a backend keeps it, and whether that is all of it. */
export interface ConfigHistory {
  /** Newest first. */
  entries: ConfigVersion[];
  /**
   * False when older changes happened that have no entry here: the listing stopped at a bound
   * (Nacos' `maxHistory`), or the backend dropped them (Nacos keeps 30 days by default, the
   * embedded store the last 100 entries). Then the oldest entry is not the config's creation, and
   * a diff or rollback can reach back only as far as the entries go.
   */
  complete: boolean;
  /** Why not, one sentence; null when complete. */
  incomplete: string | null;
}

export interface ConfigListener {
  /** The client's address as the server saw it. */
  ip: string;
  /** The md5 the client says it holds. */
  md5: string | null;
}

export interface BetaRelease {
  content: string;
  /** The client addresses that get the beta content instead of the released one. */
  ips: string[];
}

export interface ConfigChange {
  backend: string;
  dataId: string;
  op: ConfigOp;
  version: number | null;
  token: string | null;
  md5: string | null;
  content: string | null;
  at: string;
}

/** A change seen by `watch`, with the config's scope kinds as fields. */
export type ConfigEvent = Scope & ConfigChange;

export interface ConfigBackend {
  readonly name: string;
  readonly scope: ScopeModel;
  /** What the compare-and-set token is, for messages: `md5` (then `--if-md5` is the same flag), `mod_revision`, … */
  readonly tokenName: string;
  /**
   * Configs whose scope matches the kinds given (absent: all) and whose id contains `text`, or
   * matches it as a pattern where it holds `*` (Nacos blur search).
   */
  list(filter: { scope: Scope; text?: string }, opts?: ListOptions): Promise<ConfigSummary[]>;
  /** Throws a not-found OpsError naming the config and its scope when there is none. */
  get(ref: ConfigRef): Promise<ConfigItem>;
  /**
   * Publishes. With `ifMatch` the backend publishes only while `ifMatch` is the current token and
   * otherwise throws a conflict OpsError; a backend that cannot check it refuses `ifMatch` outright
   * (never a silent overwrite).
   */
  set?(ref: ConfigRef, content: string, type: ConfigType, opts: { ifMatch?: string } & WriteOptions): Promise<ConfigItem>;
  /**
   * Deletes. With `ifMatch` only while it is the current token, else a conflict; a backend without
   * an atomic conditional delete (Nacos) checks it in a read right before the delete, and its docs
   * say so.
   */
  delete?(ref: ConfigRef, opts: { ifMatch?: string } & WriteOptions): Promise<void>;
  /** The entries newest first, and whether they reach back to the config's creation. */
  history?(ref: ConfigRef): Promise<ConfigHistory>;
  /** The content one history entry holds (see `ConfigVersion.contentIs`); null when it holds none. */
  versionContent?(ref: ConfigRef, id: string): Promise<string | null>;
  /** Yields one event per change until the signal aborts. */
  watch?(ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent>;
  /** The clients listening to this config, with the md5 each holds (stale clients stand out). */
  listeners?(ref: ConfigRef): Promise<ConfigListener[]>;
  /** Publishes `content` to the listed client addresses only (Nacos beta); the released content stays. */
  publishBeta?(ref: ConfigRef, content: string, type: ConfigType, ips: string[], opts?: WriteOptions): Promise<void>;
  getBeta?(ref: ConfigRef): Promise<BetaRelease | null>;
  stopBeta?(ref: ConfigRef, opts?: WriteOptions): Promise<void>;
  /** Yields whenever what `list` answers for the scope may have changed (push, as for `RegistryBackend.changes`). */
  changes?(filter: { scope: Scope }, signal: AbortSignal): AsyncIterable<void>;
}

/**
 * The content a config had right after the change `entry` made, whatever the backend keeps in a
 * history row: an 'after' row holds it; for a 'before' row it is what the next (newer) row holds,
 * or the current content when `entry` is the newest. `history` is newest first. Null for a
 * deletion (nothing was left). Nacos mixes both kinds: its create rows hold the created content.
 */
export async function contentAfter(
  history: readonly ConfigVersion[],
  entry: ConfigVersion,
  read: (id: string) => Promise<string | null>,
  current: () => Promise<string | null>,
): Promise<string | null> {
  if (entry.op === 'delete') return null;
  if (entry.contentIs === 'after') return read(entry.id);
  const i = history.findIndex((h) => h.id === entry.id);
  if (i < 0) throw new Error(`history entry ${entry.id} is not in the history given`);
  if (i === 0) return current();
  // The newer row holds what came before it, which is what `entry` left. (A newer row that holds
  // its own result is a re-creation, so `entry` was a delete, handled above.)
  const newer = history[i - 1]!;
  return newer.contentIs === 'before' ? read(newer.id) : null;
}
