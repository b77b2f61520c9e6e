import type { ForceExpectation } from '../../core/subsystems.js';
import type { AcquireResult, LockView } from '../../core/types.js';

/**
 * One lock table of one layout. Names here are the table's own (the backend adds a table
 * qualifier when two tables share a name). `now` is opsdeck's clock, as the frameworks use the
 * app's clock.
 */
export interface TableLocks {
  readonly label: string;
  readonly kind: string;
  /** Rows under a prefix; `truncated` when the row bound cut the listing. */
  list(prefix: string, limit: number, now: number): Promise<{ views: LockView[]; truncated: boolean }>;
  inspect(name: string, now: number): Promise<LockView | null>;
  /** One attempt: the result, or null when someone else holds it. */
  tryOnce(name: string, owner: string, ttlMs: number, now: number): Promise<AcquireResult | null>;
  /** Owner-checked release: true if released, false if this owner held nothing to release. */
  release(name: string, owner: string, now: number): Promise<boolean>;
  /** Value-checked force release of the holder and token the user was shown: true if done. */
  force(name: string, expected: ForceExpectation, now: number): Promise<boolean>;
  /** Why an owner's acquire is refused before trying (too long for the column, say), or null. */
  checkOwner(owner: string): string | null;
}

export function ownerFits(owner: string, maxLength: number | null, column: string): string | null {
  return maxLength !== null && owner.length > maxLength ? `owner "${owner}" is longer than the ${maxLength} characters of column ${column}` : null;
}
