import { OpsError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { txCommonOptions, type TxCommonOptions } from '../../core/tx-common-options.js';

export interface SeataDbOptions extends TxCommonOptions {
  dialect: 'pg' | 'mysql';
  url: string;
  /** The URL without its password, for messages. */
  safeUrl: string;
  tables: { global: string; branch: string; lock: string };
  timeoutMs: number;
  name: string;
}

const DEFAULT_TABLES = { global: 'global_table', branch: 'branch_table', lock: 'lock_table' };
/** `name` or `schema.name`: table names go into SQL text, so nothing else is accepted. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

const fail = (msg: string, hint: string) => new OpsError('config', `tx (seata-db): ${msg}`, hint);

export function parseSeataDbOptions(o: Record<string, unknown>, name: string): SeataDbOptions {
  const url = o.url;
  if (typeof url !== 'string' || !/^(postgres|postgresql|mysql|mariadb):\/\//.test(url)) {
    throw fail('give "url: postgres://user@host:5432/seata" or "url: mysql://user@host:3306/seata"', 'the database that holds Seata\'s global_table, branch_table and lock_table');
  }
  const dialect = url.startsWith('postgres') ? 'pg' : 'mysql';
  const tables = { ...DEFAULT_TABLES };
  if (o.tables !== undefined) {
    if (typeof o.tables !== 'object' || o.tables === null || Array.isArray(o.tables)) throw fail('tables must be a mapping', 'for example tables: {global: global_table, branch: branch_table, lock: lock_table}');
    for (const [k, v] of Object.entries(o.tables)) {
      if (!(k in tables)) throw fail(`unknown table key "${k}"`, 'use global, branch and lock');
      if (typeof v !== 'string' || !TABLE_NAME.test(v)) throw fail(`tables.${k} must be a table name (optionally schema.table), not ${JSON.stringify(v)}`, 'use the names from store.db.globalTable/branchTable/lockTable of the Seata server');
      tables[k as keyof typeof tables] = v;
    }
  }
  return {
    dialect,
    // mysql2 knows only the mysql: scheme; MariaDB speaks the same protocol.
    url: url.replace(/^mariadb:/, 'mysql:'),
    safeUrl: redactText(url),
    tables,
    ...txCommonOptions(o),
    timeoutMs: typeof o.timeoutMs === 'number' && o.timeoutMs > 0 ? o.timeoutMs : 10_000,
    name,
  };
}
