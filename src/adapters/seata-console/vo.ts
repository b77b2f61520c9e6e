import type { BranchTx, GlobalTx, RowLock } from '../../core/transactions.js';
import { rowKeyParts } from '../../core/tx-row-key.js';

/*
 * Console VOs (server/console/vo/GlobalSessionVO, BranchSessionVO, GlobalLockVO) → domain. Ids
 * arrive as strings, times as epoch ms. The VOs read NULL numbers with getLong, so 0 means "not
 * stored" for times and timeouts. Anything of the wrong type becomes null rather than a crash.
 */

type Obj = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : null);

function epochMs(v: unknown): string | null {
  const n = int(v);
  if (n === null || n <= 0) return null;
  const d = new Date(n);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toGlobal(v: Obj): GlobalTx | null {
  const xid = text(v.xid);
  if (xid === null) return null;
  const timeout = int(v.timeout);
  const branches = Array.isArray(v.branchSessionVOs) ? v.branchSessionVOs.length : null;
  return {
    xid,
    transactionId: text(v.transactionId),
    status: int(v.status),
    applicationId: text(v.applicationId),
    serviceGroup: text(v.transactionServiceGroup),
    transactionName: text(v.transactionName),
    timeoutMs: timeout !== null && timeout > 0 ? timeout : null,
    beganAt: epochMs(v.beginTime),
    createdAt: epochMs(v.gmtCreate),
    modifiedAt: epochMs(v.gmtModified),
    branchCount: branches,
  };
}

/**
 * The console's DB store reads branch_table's gmt_create and gmt_modified with JDBC getDate (in
 * 1.8 and in 2.x), which keeps only the day: a branch registered at 07:50:36 arrives as the
 * midnight that began that day in the TC's zone, and would show as hours old. Every zone's
 * midnight falls on a whole quarter hour of UTC, which a real DATETIME(6) time almost never does
 * to the microsecond, so such a branch time is taken as a date and not shown as a time.
 */
const QUARTER_HOUR_MS = 900_000;
const isDateOnly = (v: unknown): boolean => {
  const n = int(v);
  return n !== null && n > 0 && n % QUARTER_HOUR_MS === 0;
};

/** True when the console sent this branch's times as dates only (see isDateOnly). */
export const branchTimesAreDates = (v: Obj): boolean => isDateOnly(v.gmtCreate) || isDateOnly(v.gmtModified);

export function toBranch(v: Obj): BranchTx | null {
  const branchId = text(v.branchId);
  const xid = text(v.xid);
  if (branchId === null || xid === null) return null;
  return {
    branchId,
    xid,
    transactionId: text(v.transactionId),
    resourceGroupId: text(v.resourceGroupId),
    resourceId: text(v.resourceId),
    branchType: text(v.branchType),
    status: int(v.status),
    clientId: text(v.clientId),
    createdAt: isDateOnly(v.gmtCreate) ? null : epochMs(v.gmtCreate),
    modifiedAt: isDateOnly(v.gmtModified) ? null : epochMs(v.gmtModified),
  };
}

/** GlobalLockVO has no lock status; the row key decides the parts, as in the DB store. */
export function toRowLock(v: Obj): RowLock | null {
  const rowKey = text(v.rowKey);
  if (rowKey === null) return null;
  return {
    rowKey,
    xid: text(v.xid),
    transactionId: text(v.transactionId),
    branchId: text(v.branchId),
    ...rowKeyParts(rowKey, { resourceId: text(v.resourceId), tableName: text(v.tableName), pk: text(v.pk) }),
    status: null,
    createdAt: epochMs(v.gmtCreate),
    modifiedAt: epochMs(v.gmtModified),
  };
}
