import type { BranchTx, BranchTxView, GlobalTx, GlobalTxView, RowLock, RowLockView, SeataVersion, TxFlag } from './transactions.js';
import { branchStatusName, globalStatusName, lockStatusName } from './tx-status-names.js';
import { pkValues } from './tx-row-key.js';

/** Unfinished global statuses (GlobalStatus 1–8): a transaction here past its timeout is stuck. */
const IN_PROGRESS = new Set([1, 2, 3, 4, 5, 6, 7, 8]);
/**
 * Statuses the coordinator's periodic handlers keep retrying: its retry-committing task takes
 * Committing and CommitRetrying, its retry-rollbacking task Rollbacking, RollbackRetrying,
 * TimeoutRollbacking and TimeoutRollbackRetrying, and AsyncCommitting has a loop of its own. A
 * retry does not always change the status: a real 1.8 TC whose application is gone keeps a
 * transaction in TimeoutRollbacking, retrying every second, for as long as the resource is away.
 * Sitting in one past the threshold means the retries are not getting through.
 */
const RETRYING = new Set([2, 3, 4, 5, 6, 7, 8]);
/** Ends that need a person: CommitFailed, RollbackFailed, TimeoutRollbackFailed, Commit/RollbackRetryTimeout. */
const FAILED = new Set([10, 12, 14, 16, 17]);

export interface AnnotateOptions {
  version: SeataVersion;
  now: number;
  retryingThresholdMs: number;
}

const since = (iso: string | null, now: number) => (iso === null ? null : Math.max(0, now - Date.parse(iso)));

/** Names the status, computes ages and sets the stuck flags; never guesses from an unknown code. */
export function annotateGlobal(tx: GlobalTx, o: AnnotateOptions): GlobalTxView {
  const ageMs = since(tx.beganAt ?? tx.createdAt, o.now);
  // Without gmt_modified the age is the only bound on time in status (it can only overstate it).
  // gmt_modified keeps whole seconds and begin_time milliseconds, so the status can seem to have
  // changed before the transaction began: time in status never exceeds the age.
  const modified = since(tx.modifiedAt, o.now);
  const inStatusMs = modified === null ? ageMs : ageMs === null ? modified : Math.min(modified, ageMs);
  const flags: TxFlag[] = [];
  const s = tx.status;
  if (s !== null && IN_PROGRESS.has(s) && ageMs !== null && tx.timeoutMs !== null && ageMs > tx.timeoutMs) flags.push('timed-out');
  if (s !== null && RETRYING.has(s) && inStatusMs !== null && inStatusMs > o.retryingThresholdMs) flags.push('retrying');
  if (s !== null && FAILED.has(s)) flags.push('failed');
  return { ...tx, statusName: globalStatusName(s, o.version), ageMs, inStatusMs, flags };
}

export function annotateBranch(b: BranchTx, o: AnnotateOptions): BranchTxView {
  return { ...b, statusName: branchStatusName(b.status, o.version), ageMs: since(b.createdAt, o.now) };
}

export function annotateLock(l: RowLock, now: number): RowLockView {
  return { ...l, pkValues: pkValues(l.pk), statusName: lockStatusName(l.status), ageMs: since(l.createdAt, now) };
}

/** Flagged (stuck) transactions first, the most flags first, then the oldest; unknown ages last. */
export function stuckFirst(a: GlobalTxView, b: GlobalTxView): number {
  const flagged = Number(b.flags.length > 0) - Number(a.flags.length > 0);
  if (flagged !== 0) return flagged;
  if (a.flags.length !== b.flags.length) return b.flags.length - a.flags.length;
  if (a.ageMs !== b.ageMs) return (b.ageMs ?? -1) - (a.ageMs ?? -1);
  return a.xid < b.xid ? -1 : a.xid > b.xid ? 1 : 0;
}
