import type { CacheBackend } from './cache.js';
import type { MetricsBackend } from './metrics.js';
import type { TxBackend } from './transactions.js';
import type { ConfigBackend } from './config-center.js';
import type { RegistryBackend } from './registry.js';
import type { AcquireResult, ListStop, LockView, ReleaseResult } from './types.js';

/**
 * Small capability interfaces. An adapter exposes only what its backend really does; a missing
 * optional method is how commands and the console learn that an action is unsupported.
 */

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
   * Called when the listing did not cover everything: a bound stopped it ('limit': keys, nodes or
   * pages, 'time'), or a part of the backend (a Redlock node, a server's lock table) did not answer.
   */
  onIncomplete?(why: string, stoppedBy: Exclude<ListStop, 'done'>): void;
  /**
   * Called with a condition of the backend that the rows alone do not show, one sentence (Eureka in
   * self-preservation, keeping instances whose leases ran out); the listing is complete all the same.
   */
  onWarning?(message: string): void;
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
