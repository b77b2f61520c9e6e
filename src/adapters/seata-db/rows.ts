import type { BranchTx, GlobalTx, RowLock } from '../../core/transactions.js';
import { rowKeyParts } from '../../core/tx-row-key.js';
import type { Row } from '../kit/sql/db.js';

/* Row → domain. A NULL column, or one the schema lacks (undefined), becomes null; nothing throws. */

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function int(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** gmt_* columns arrive as epoch ms, converted by the database in its session zone (schema.ts). */
function when(v: unknown): string | null {
  const n = v === null || v === undefined || v === '' ? NaN : Number(v);
  // UNIX_TIMESTAMP gives 0 for a zero date or one before 1970: not a time Seata wrote.
  if (!Number.isFinite(n) || n <= 0) return null;
  const d = new Date(Math.round(n));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** begin_time is epoch milliseconds in a BIGINT. */
function epochMs(v: unknown): string | null {
  const n = int(v);
  if (n === null || n <= 0) return null;
  const d = new Date(n);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function toGlobal(r: Row, branchCount: number | null): GlobalTx {
  return {
    xid: String(r.xid),
    transactionId: text(r.transaction_id),
    status: int(r.status),
    applicationId: text(r.application_id),
    serviceGroup: text(r.transaction_service_group),
    transactionName: text(r.transaction_name),
    timeoutMs: int(r.timeout),
    beganAt: epochMs(r.begin_time),
    createdAt: when(r.gmt_create),
    modifiedAt: when(r.gmt_modified),
    branchCount,
  };
}

export function toBranch(r: Row): BranchTx {
  return {
    branchId: String(r.branch_id),
    xid: String(r.xid),
    transactionId: text(r.transaction_id),
    resourceGroupId: text(r.resource_group_id),
    resourceId: text(r.resource_id),
    branchType: text(r.branch_type),
    status: int(r.status),
    clientId: text(r.client_id),
    createdAt: when(r.gmt_create),
    modifiedAt: when(r.gmt_modified),
  };
}

/** The row key is the lock's identity; the separate columns fill in only where it does not decode. */
export function toRowLock(r: Row): RowLock {
  const rowKey = String(r.row_key);
  return {
    rowKey,
    xid: text(r.xid),
    transactionId: text(r.transaction_id),
    branchId: text(r.branch_id),
    ...rowKeyParts(rowKey, { resourceId: text(r.resource_id), tableName: text(r.table_name), pk: text(r.pk) }),
    status: int(r.status),
    createdAt: when(r.gmt_create),
    modifiedAt: when(r.gmt_modified),
  };
}
