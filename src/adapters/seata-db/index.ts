import type { Adapter } from '../../core/subsystems.js';
import { seataLockBackend } from '../../core/tx-lock-view.js';
import type { AdapterContext } from '../types.js';
import { parseSeataDbOptions } from './options.js';
import { MAX_ROWS, seataDbTx } from './seata-db-tx.js';
import { openDb } from '../kit/sql/db.js';

/**
 * Seata's DB store (global_table, branch_table, lock_table) on PostgreSQL or MySQL/MariaDB.
 * It serves `tx` and, read-only, `locks` (the global row locks as seata-global-lock entries).
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseSeataDbOptions(options, ctx.name);
  const db = await openDb(o.dialect, {
    url: o.url,
    where: `Seata store ${o.safeUrl}`,
    connectTimeoutMs: o.timeoutMs,
    statementTimeoutMs: o.timeoutMs,
    hints: { timeout: 'raise timeoutMs in the profile, or narrow the query', missingTable: "set tables: {global, branch, lock} in the profile to the Seata server's table names" },
  });
  const tx = seataDbTx(db, o);
  const locks = seataLockBackend(tx, MAX_ROWS);
  return {
    type: 'seata-db',
    tx,
    locks,
    async ping() {
      const { rows } = await db.query('SELECT version() AS v');
      const v = String(rows[0]?.v ?? '');
      return { version: (o.dialect === 'postgres' ? /^PostgreSQL [\d.]+/.exec(v)?.[0] : v) ?? (v || null) };
    },
    dispose: () => db.close(),
  };
}
