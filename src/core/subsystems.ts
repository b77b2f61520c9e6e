import type { CacheBackend } from './cache.js';
import type { MetricsBackend } from './metrics.js';
import type { TxBackend } from './transactions.js';
import type {
  AcquireResult,
  ConfigEvent,
  ConfigItem,
  ConfigSummary,
  ConfigType,
  ConfigVersion,
  LockListStop,
  LockView,
  ReleaseResult,
  ServiceDetail,
  ServiceSummary,
} from './types.js';

/**
 * Small capability interfaces. An adapter exposes only what its backend really does; a missing
 * optional method is how commands and the console learn that an action is unsupported.
 */

export interface ServiceRef {
  namespace: string;
  group: string;
  service: string;
}

export interface RegisterOptions {
  weight: number;
  metadata: Record<string, string>;
  ephemeral: boolean;
  ttlMs: number;
}

export interface RegistryBackend {
  listServices(filter: { namespace?: string; group?: string; text?: string }): Promise<ServiceSummary[]>;
  getService(ref: ServiceRef): Promise<ServiceDetail>;
  register?(ref: ServiceRef, ip: string, port: number, opts: RegisterOptions): Promise<ServiceDetail>;
  heartbeat?(ref: ServiceRef, ip: string, port: number): Promise<void>;
  deregister?(ref: ServiceRef, ip: string, port: number): Promise<void>;
  setEnabled?(ref: ServiceRef, ip: string, port: number, enabled: boolean): Promise<ServiceDetail>;
}

export interface ConfigRef {
  namespace: string;
  group: string;
  dataId: string;
}

export interface ConfigBackend {
  list(filter: { namespace?: string; group?: string; text?: string }): Promise<ConfigSummary[]>;
  get(ref: ConfigRef): Promise<ConfigItem>;
  history?(ref: ConfigRef): Promise<ConfigVersion[]>;
  /** Content of one historical version. */
  getVersion?(ref: ConfigRef, version: number): Promise<ConfigItem>;
  /** Publishes content; with ifMd5 it is a compare-and-set against the current md5. */
  set?(ref: ConfigRef, content: string, type: ConfigType, ifMd5?: string): Promise<ConfigItem>;
  delete?(ref: ConfigRef, ifMd5?: string): Promise<ConfigVersion>;
  rollback?(ref: ConfigRef, version: number, ifMd5?: string): Promise<ConfigItem>;
  /** Yields one event per change until the signal aborts. */
  watch?(ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent>;
}

export interface AcquireOptions {
  owner: string;
  ttlMs: number;
  /** How long to queue for the lock; 0 means try once. */
  waitMs: number;
  signal?: AbortSignal;
}

export interface ForceExpectation {
  /** The holder the user was shown; the release is refused if the store now says otherwise. */
  holder: string | null;
  token: number | string | null;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** Called as a long listing goes on, with the number of keys looked at so far. */
  onProgress?(scanned: number): void;
  /**
   * Called when the listing did not cover everything: a bound stopped it ('limit': keys or nodes,
   * 'time'), or a part of the backend (a Redlock node, a server's lock table) did not answer.
   */
  onIncomplete?(why: string, stoppedBy: Exclude<LockListStop, 'done'>): void;
}

export interface LockBackend {
  /** The name shown in the `backend` column, unique within a profile. */
  readonly name: string;
  list(prefix: string, opts?: ListOptions): Promise<LockView[]>;
  inspect(name: string): Promise<LockView | null>;
  tryAcquire?(name: string, opts: AcquireOptions): Promise<AcquireResult>;
  release?(name: string, owner: string): Promise<ReleaseResult>;
  forceRelease?(name: string, expected: ForceExpectation): Promise<ReleaseResult>;
  /**
   * What a force release does beyond deleting the lock, when that is more (ending the holder's
   * database session, say). The confirmation shows the warning and, with typeToConfirm, makes
   * the user type the lock name.
   */
  forceImpact?(view: LockView): { warning: string; typeToConfirm?: string } | null;
}

export interface Probe {
  /** What the backend is and how quickly it answers; throws an OpsError when it is unreachable. */
  ping(): Promise<{ version: string | null }>;
}

/** What an adapter module's connect() returns. */
export interface Adapter extends Probe {
  readonly type: string;
  registry?: RegistryBackend;
  config?: ConfigBackend;
  locks?: LockBackend;
  cache?: CacheBackend;
  metrics?: MetricsBackend;
  tx?: TxBackend;
  dispose(): Promise<void>;
}
