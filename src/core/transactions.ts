/**
 * The transactions subsystem (Seata). Adapters return what the store holds, with raw status codes;
 * the pure functions in core/tx-*.ts name the codes for the profile's Seata version and flag stuck
 * transactions, so every adapter is judged by the same rules. Every fact a store does not hold
 * (a NULL column, a column the schema lacks) is null, never guessed.
 */

/** Seata's major version; status code tables differ between them (see tx-status-names.ts). */
export type SeataVersion = '1' | '2';

/** One global transaction (a row of global_table, or a console GlobalSessionVO). */
export interface GlobalTx {
  xid: string;
  /** BIGINT ids stay strings: they exceed JavaScript's safe integers. */
  transactionId: string | null;
  /** Raw GlobalStatus code; null only when the store did not say. */
  status: number | null;
  applicationId: string | null;
  serviceGroup: string | null;
  transactionName: string | null;
  timeoutMs: number | null;
  /** When the transaction began (begin_time, epoch ms in the store), ISO 8601. */
  beganAt: string | null;
  createdAt: string | null;
  /** Last status change (gmt_modified): how long it has sat in its current status. */
  modifiedAt: string | null;
  /** Branches registered; null when the backend did not count them. */
  branchCount: number | null;
}

/** One branch transaction (a row of branch_table, or a console BranchSessionVO). */
export interface BranchTx {
  branchId: string;
  xid: string;
  transactionId: string | null;
  resourceGroupId: string | null;
  resourceId: string | null;
  /** AT, TCC, SAGA or XA as stored; anything else is kept as stored. */
  branchType: string | null;
  status: number | null;
  clientId: string | null;
  createdAt: string | null;
  modifiedAt: string | null;
}

/** One global row lock (a row of lock_table, or a console GlobalLockVO). */
export interface RowLock {
  /** `resourceId^^^tableName^^^pk`, the lock's identity. */
  rowKey: string;
  xid: string | null;
  transactionId: string | null;
  branchId: string | null;
  resourceId: string | null;
  tableName: string | null;
  /** The primary key value; composite keys are Seata's values joined by "_". */
  pk: string | null;
  /** 0 locked, 1 rollbacking (lock_table.status since Seata 1.5); null when not stored. */
  status: number | null;
  createdAt: string | null;
  modifiedAt: string | null;
}

export interface GlobalFilter {
  /** Only these GlobalStatus codes. */
  statuses?: readonly number[];
  applicationId?: string;
  /** Only transactions that began before this instant (epoch ms). */
  beganBefore?: number;
  /** At most this many rows; the backend reports more through onIncomplete. */
  limit: number;
}

export interface LockFilter {
  /** Exactly this row key (the locks view's inspect). */
  rowKey?: string;
  tableName?: string;
  xid?: string;
  /** Only row keys starting with this (the locks view's --prefix). */
  rowKeyPrefix?: string;
  limit: number;
}

export interface TxListOptions {
  signal?: AbortSignal;
  /** Called when a bound stopped the listing before it covered everything. */
  onIncomplete?(why: string): void;
  /** Called for a fact worth knowing that does not fail the command (a column the schema lacks). */
  onWarning?(message: string): void;
}

export interface GlobalTxDetail {
  global: GlobalTx;
  branches: BranchTx[];
  locks: RowLock[];
}

/** Read-only by design: see README "Transactions" for why there are no write methods. */
export interface TxBackend {
  readonly name: string;
  /** The status code table to name codes with. */
  readonly version: SeataVersion;
  /** How long a transaction may sit in a retrying status before it is flagged. */
  readonly retryingThresholdMs: number;
  listGlobal(filter: GlobalFilter, opts?: TxListOptions): Promise<GlobalTx[]>;
  /** The transaction with its branches and the row locks it holds; null when the store has no such xid. */
  getGlobal(xid: string, opts?: TxListOptions): Promise<GlobalTxDetail | null>;
  listLocks(filter: LockFilter, opts?: TxListOptions): Promise<RowLock[]>;
}

/** Why a transaction is shown first: each flag is one reason an on-call engineer should look. */
export type TxFlag = 'timed-out' | 'retrying' | 'failed';

/** A global transaction as commands return it: the stored facts plus names, ages and flags. */
export interface GlobalTxView extends GlobalTx {
  /** The status code's name for the profile's Seata version; null for a code that version lacks. */
  statusName: string | null;
  ageMs: number | null;
  /** Time since the last status change. */
  inStatusMs: number | null;
  flags: TxFlag[];
}

export interface BranchTxView extends BranchTx {
  statusName: string | null;
  ageMs: number | null;
}

export interface RowLockView extends RowLock {
  /** The pk split into the values of a composite key (one element for a single-column key). */
  pkValues: string[];
  statusName: string | null;
  ageMs: number | null;
}

export interface GlobalTxDetailView {
  global: GlobalTxView;
  branches: BranchTxView[];
  locks: RowLockView[];
}
