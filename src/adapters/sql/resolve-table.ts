import { OpsError } from '../../core/errors.js';
import type { Db, Row } from '../kit/sql/db.js';
import { quoteIdent } from '../kit/sql/identifiers.js';
import type { TableSpec } from './options.js';
import { parseTimestamp, toWallClock } from './zoned-time.js';
import { isoOrNull } from '../../core/iso-time.js';

/** How a column keeps time: an absolute instant (timestamptz), a zone-less wall clock, or epoch ms. */
export type TimeKind = 'instant' | 'wall' | 'epoch-ms' | 'other';

export interface Column {
  /** As the server spells it (PostgreSQL folds unquoted DDL to lower case). */
  name: string;
  /** Quoted for SQL. */
  sql: string;
  time: TimeKind;
  maxLength: number | null;
}

export interface ResolvedTable {
  /** The table as the profile names it, used to qualify lock names. */
  label: string;
  /** Quoted, schema-qualified when the profile gave a schema. */
  sql: string;
  column(wanted: string): Column;
  has(wanted: string): boolean;
}

/**
 * Finds the table and its columns in information_schema, matching names without regard to case
 * (Spring's DDL is upper case, PostgreSQL stores it lower case), and learns each column's type so
 * timestamps are read and written the way that column keeps them.
 */
export async function resolveTable(db: Db, spec: TableSpec): Promise<ResolvedTable> {
  const schemaExpr = db.dialect === 'postgres' ? 'current_schema()' : 'DATABASE()';
  const { rows } = await db.query(
    `SELECT table_schema AS s, table_name AS t, column_name AS c, data_type AS dt, character_maximum_length AS len
       FROM information_schema.columns
      WHERE lower(table_name) = lower(?) AND lower(table_schema) = lower(COALESCE(?, ${schemaExpr}))`,
    [spec.table, spec.schema],
  );
  const label = spec.schema ? `${spec.schema}.${spec.table}` : spec.table;
  const names = [...new Set(rows.map((r) => String(r.t)))];
  const actual = names.includes(spec.table) ? spec.table : names.length === 1 ? names[0]! : null;
  if (actual === null) {
    throw new OpsError(
      'config',
      names.length === 0 ? `${db.where}: table ${label} (layout ${spec.layout}) does not exist` : `${db.where}: table name ${label} matches ${names.join(', ')}; spell it exactly`,
      names.length === 0 ? 'create it (see the framework\'s DDL), or fix "tables:" in the profile' : 'give the exact case in the profile',
    );
  }
  const own = rows.filter((r) => r.t === actual);
  const schema = String(own[0]!.s);
  const cols = own.map((r): Column => ({ name: String(r.c), sql: quoteIdent(db.dialect, String(r.c)), time: timeKind(String(r.dt)), maxLength: r.len === null || r.len === undefined ? null : Number(r.len) }));
  const find = (wanted: string) => cols.find((c) => c.name === wanted) ?? cols.find((c) => c.name.toLowerCase() === wanted.toLowerCase());
  return {
    label,
    sql: spec.schema ? `${quoteIdent(db.dialect, schema)}.${quoteIdent(db.dialect, actual)}` : quoteIdent(db.dialect, actual),
    has: (wanted) => find(wanted) !== undefined,
    column(wanted) {
      const c = find(wanted);
      if (!c) throw new OpsError('config', `${db.where}: table ${label} has no column ${wanted} (layout ${spec.layout})`, `its columns are ${cols.map((x) => x.name).join(', ')}; fix the layout or the column mapping`);
      return c;
    },
  };
}

function timeKind(dataType: string): TimeKind {
  const t = dataType.toLowerCase();
  if (t === 'timestamp with time zone') return 'instant';
  if (t.startsWith('timestamp') || t === 'datetime' || t === 'date') return 'wall';
  if (['bigint', 'integer', 'int', 'numeric', 'decimal'].includes(t)) return 'epoch-ms';
  return 'other';
}

/** The instant a stored value stands for (wall clocks read in `tz`), or null. */
export function readTime(v: unknown, col: Column, tz: string): number | null {
  if (v === null || v === undefined) return null;
  if (col.time === 'epoch-ms') return Number(v);
  return parseTimestamp(String(v), tz);
}

/** The parameter to store an instant in this column. */
export function writeTime(ms: number, col: Column, tz: string): string | number {
  if (col.time === 'epoch-ms') return ms;
  if (col.time === 'instant') return new Date(ms).toISOString();
  return toWallClock(ms, tz);
}

export const iso = (ms: number | null): string | null => (ms === null ? null : isoOrNull(ms));

/** Tables opsdeck recognises without configuration, by their frameworks' default names. */
export async function detectTables(db: Db, timeZone: string): Promise<TableSpec[]> {
  const schemaExpr = db.dialect === 'postgres' ? 'current_schema()' : 'DATABASE()';
  const { rows } = await db.query(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${schemaExpr} AND lower(table_name) IN ('shedlock', 'int_lock') ORDER BY table_name`,
  );
  const found = rows.map((r) => String(r.t));
  const out: TableSpec[] = [];
  const shed = found.find((t) => t.toLowerCase() === 'shedlock');
  const int = found.find((t) => t.toLowerCase() === 'int_lock');
  if (shed) out.push({ layout: 'shedlock', schema: null, table: shed, timeZone });
  if (int) out.push({ layout: 'int-lock', schema: null, table: int, region: 'DEFAULT', version: null, ttlMs: 10_000, keys: [] });
  return out;
}

/** LIKE pattern for "starts with", escaping the wildcards with '!'. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Rows whose name column starts with a prefix, one more than `limit` read to tell a cut listing. */
export async function rowsByPrefix(db: Db, t: ResolvedTable, cols: string, name: Column, prefix: string, limit: number): Promise<{ rows: Row[]; truncated: boolean }> {
  const { rows } = await db.query(`SELECT ${cols} FROM ${t.sql} WHERE ${name.sql} LIKE ? ESCAPE '!' ORDER BY ${name.sql} LIMIT ${limit + 1}`, [likePrefix(prefix)]);
  return { rows: rows.slice(0, limit), truncated: rows.length > limit };
}

export async function rowByName(db: Db, t: ResolvedTable, cols: string, name: Column, value: string): Promise<Row | null> {
  const { rows } = await db.query(`SELECT ${cols} FROM ${t.sql} WHERE ${name.sql} = ?`, [value]);
  return rows[0] ?? null;
}
