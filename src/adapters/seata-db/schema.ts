import { OpsError } from '../../core/errors.js';
import type { SeataDbOptions } from './options.js';
import type { Db, Dialect } from '../kit/sql/db.js';
import { parseTableName, quoteTable } from '../kit/sql/identifiers.js';

/**
 * Columns read from each table, as in the Seata server schema (script/server/db/*.sql).
 * application_data is left out: it is the application's own payload, not on-call information.
 */
export const COLUMNS = {
  global: ['xid', 'transaction_id', 'status', 'application_id', 'transaction_service_group', 'transaction_name', 'timeout', 'begin_time', 'gmt_create', 'gmt_modified'],
  branch: ['branch_id', 'xid', 'transaction_id', 'resource_group_id', 'resource_id', 'branch_type', 'status', 'client_id', 'gmt_create', 'gmt_modified'],
  lock: ['row_key', 'xid', 'transaction_id', 'branch_id', 'resource_id', 'table_name', 'pk', 'status', 'gmt_create', 'gmt_modified'],
} as const;

/** Without these a table cannot be read at all; every other column may be missing (older schemas lack lock_table.status). */
const REQUIRED = { global: ['xid', 'status'], branch: ['branch_id', 'xid'], lock: ['row_key', 'xid'] } as const;

export type TableKey = keyof typeof COLUMNS;

export interface TableShape {
  /** The quoted table name for SQL text. */
  sql: string;
  /** Columns of COLUMNS[key] the table really has. */
  has: Set<string>;
  /** Columns of COLUMNS[key] it lacks, for a warning. */
  missing: string[];
  /** The select list for the columns the table has. */
  select: string;
}

/**
 * Seata fills gmt_create/gmt_modified with the database's now(): zone-less wall clocks in the
 * writer's session zone. The database turns them into epoch ms in its own session zone, which is
 * the same one on MySQL and the server's default on PostgreSQL (pgjdbc sets the Seata JVM's);
 * read by the driver they would be taken as opsdeck's local time, hours off on another machine.
 */
const TIME_COLUMNS = new Set(['gmt_create', 'gmt_modified']);

function selectColumn(dialect: Dialect, c: string): string {
  if (!TIME_COLUMNS.has(c)) return c;
  return dialect === 'postgres' ? `EXTRACT(EPOCH FROM ${c}::timestamptz) * 1000 AS ${c}` : `UNIX_TIMESTAMP(${c}) * 1000 AS ${c}`;
}

/**
 * Reads information_schema once per table, so a schema without some optional column still reads
 * (those columns show as "-") instead of failing every query on an unknown column.
 */
export async function describeTable(db: Db, o: SeataDbOptions, key: TableKey): Promise<TableShape> {
  const full = o.tables[key];
  // The options accepted only names that parse (see options.ts).
  const name = parseTableName(full)!;
  const { schema, table } = name;
  const current = db.dialect === 'postgres' ? 'current_schema()' : 'DATABASE()';
  const cast = db.dialect === 'postgres' ? '?::text' : '?';
  const { rows } = await db.query(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = COALESCE(${cast}, ${current}) AND table_name = ?`, [schema, table]);
  const present = new Set(rows.map((r) => String(r.c ?? r.C ?? r.COLUMN_NAME ?? '').toLowerCase()));
  if (present.size === 0) {
    throw new OpsError('config', `Seata store ${o.safeUrl} has no table ${full}`, `point tables.${key} in the profile at the Seata server's ${key} table (store.db.${key}Table)`);
  }
  const lacking = REQUIRED[key].filter((c) => !present.has(c));
  if (lacking.length > 0) throw new OpsError('config', `${full} lacks ${lacking.join(', ')}: it is not a Seata ${key} table`, `check tables.${key} in the profile`);
  const has = new Set<string>(COLUMNS[key].filter((c) => present.has(c)));
  return { sql: quoteTable(db.dialect, name), has, missing: COLUMNS[key].filter((c) => !present.has(c)), select: [...has].map((c) => selectColumn(db.dialect, c)).join(', ') };
}

/** The select list for the columns the table has. */
export function selectList(shape: TableShape): string {
  return shape.select;
}
