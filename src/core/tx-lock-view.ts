import type { LockBackend } from './subsystems.js';
import type { RowLock, TxBackend } from './transactions.js';
import type { LockView } from './types.js';
import { lockStatusName } from './tx-status-names.js';

/**
 * A Seata global row lock in the shape of `locks list`: the row key names it, the holding XID is
 * the holder and the branch id the token. Seata stores no lease and no waiters (a blocked branch
 * polls), so those stay null rather than looking like "no one waits".
 */
export function rowLockToLockView(l: RowLock, backend: string): LockView {
  return {
    backend,
    name: l.rowKey,
    kind: 'seata-global-lock',
    holder: l.xid,
    acquiredAt: l.createdAt,
    expiresAt: null,
    ttlMs: null,
    reentrancy: null,
    waiters: null,
    token: l.branchId,
    details: { resourceId: l.resourceId, tableName: l.tableName, pk: l.pk, transactionId: l.transactionId, status: lockStatusName(l.status) ?? l.status },
  };
}

/**
 * The read-only `locks` face of a Seata backend: list and inspect over its row locks, and no
 * acquire or release, so the lock commands report those unsupported. `maxRows` bounds a listing.
 */
export function seataLockBackend(tx: TxBackend, maxRows: number): LockBackend {
  return {
    name: tx.name,
    async list(prefix, opts) {
      const rows = await tx.listLocks({ rowKeyPrefix: prefix, limit: maxRows }, { signal: opts?.signal, onIncomplete: (why) => opts?.onIncomplete?.(why, 'limit') });
      return rows.map((l) => rowLockToLockView(l, tx.name));
    },
    async inspect(name) {
      const [hit] = await tx.listLocks({ rowKey: name, limit: 1 });
      return hit ? rowLockToLockView(hit, tx.name) : null;
    },
  };
}
