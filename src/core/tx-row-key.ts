/**
 * Seata's lock_table row key: `resourceId^^^tableName^^^pk` (core/lock/AbstractLocker.getRowKey).
 * One row per locked row; a composite primary key is its values joined by "_" in key-column order
 * (rm-datasource BaseTransactionalExecutor.buildLockKey). The ";" and "," of a client's lock key
 * separate tables and rows before the server splits them into rows, so they never reach a row key.
 */
const SEP = '^^^';

export interface DecodedRowKey {
  resourceId: string;
  tableName: string;
  pk: string;
}

/**
 * Splits a row key; null when it does not have the three parts. The resource id is a JDBC URL
 * and the table a SQL name, neither of which holds "^^^", so the first two separators are taken
 * and the pk keeps any later ones.
 */
export function decodeRowKey(rowKey: string): DecodedRowKey | null {
  const a = rowKey.indexOf(SEP);
  if (a < 0) return null;
  const b = rowKey.indexOf(SEP, a + SEP.length);
  if (b < 0) return null;
  return { resourceId: rowKey.slice(0, a), tableName: rowKey.slice(a + SEP.length, b), pk: rowKey.slice(b + SEP.length) };
}

/**
 * The values of a (possibly composite) key. Seata joins them with "_" without escaping, so a value
 * that itself holds "_" splits too: the raw pk is always kept next to this.
 */
export function pkValues(pk: string | null): string[] {
  return pk === null ? [] : pk.split('_');
}

/** The parts of a lock: decoded from its row key, or the stored columns where the key does not decode. */
export function rowKeyParts(rowKey: string, stored: { resourceId: string | null; tableName: string | null; pk: string | null }): { resourceId: string | null; tableName: string | null; pk: string | null } {
  const key = decodeRowKey(rowKey);
  return key ?? stored;
}
