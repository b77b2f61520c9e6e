import { OpsError } from '../../../core/errors.js';
import { custom, fail, pathText, type Reader } from '../options.js';
import type { Dialect } from './db.js';

/**
 * Table and column names come from the profile and end up in SQL text, where parameters cannot
 * go. So they must look like plain identifiers (optionally schema-qualified); anything else is
 * refused when the profile loads, before a statement is built, and what passes is quoted.
 */
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const IDENT_HINT = 'use letters, digits and underscores (at most 63), starting with a letter or underscore';

/** A plain identifier (a column name) as an option. */
export function identifier(spec: { required: string }): Reader<string>;
export function identifier(spec?: { required?: string }): Reader<string | undefined>;
export function identifier(spec: { required?: string } = {}): Reader<string | undefined> {
  return custom<string | undefined>(
    'a plain SQL identifier',
    (v, c) => {
      if (typeof v !== 'string' || !IDENT.test(v)) return fail(c, `${pathText(c.path)} ${JSON.stringify(v)} is not a plain SQL identifier`, IDENT_HINT);
      return v;
    },
    spec,
  );
}

export interface TableName {
  /** null: the connection's current schema (PostgreSQL) or database (MySQL). */
  schema: string | null;
  table: string;
}

/** `table` or `schema.table` split into its parts, or null when a part is not a plain identifier. */
export function parseTableName(text: string): TableName | null {
  const parts = text.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) return null;
  return parts.length === 2 ? { schema: parts[0]!, table: parts[1]! } : { schema: null, table: parts[0]! };
}

const TABLE_EXPECTS = 'a table name (optionally schema.table)';

/** `table` or `schema.table` as an option, each part a plain identifier; read as text. */
export function tableText(spec: { default?: string; hint?: string } = {}): Reader<string> {
  return custom(
    TABLE_EXPECTS,
    (v, c) => {
      if (typeof v !== 'string' || parseTableName(v) === null) return fail(c, `${pathText(c.path)} must be ${TABLE_EXPECTS}, not ${JSON.stringify(v)}`, spec.hint ?? IDENT_HINT);
      return v;
    },
    { default: spec.default },
  );
}

/** `table` or `schema.table` as an option, read as its parts. */
export function tableName(spec: { default?: string; required?: string; hint?: string } = {}): Reader<TableName> {
  const text = tableText({ hint: spec.hint });
  return {
    expects: TABLE_EXPECTS,
    read: (v, c) => {
      const t = text.read(v, c);
      return (t === undefined ? undefined : parseTableName(t)) as TableName;
    },
    absent: (c) => {
      if (spec.default !== undefined) return parseTableName(spec.default)!;
      if (spec.required !== undefined) return fail(c, `needs ${pathText(c.path)}`, `for example ${spec.required}`);
      return undefined as unknown as TableName;
    },
  };
}

/** Quotes an identifier that passed the checks above (or came from information_schema). */
export function quoteIdent(dialect: Dialect, name: string): string {
  if (!IDENT.test(name)) throw new OpsError('config', `refusing to quote ${JSON.stringify(name)} as an SQL identifier`, 'rename it to a plain identifier');
  return dialect === 'postgres' ? `"${name}"` : `\`${name}\``;
}

/** Quotes `table` or `schema.table`. */
export function quoteTable(dialect: Dialect, t: TableName): string {
  return t.schema === null ? quoteIdent(dialect, t.table) : `${quoteIdent(dialect, t.schema)}.${quoteIdent(dialect, t.table)}`;
}
