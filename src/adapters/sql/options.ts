import { OpsError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { checkIdentifier, checkTableName, type Dialect } from './identifiers.js';
import { redactText } from '../../core/redact.js';
import { checkTimeZone } from './zoned-time.js';

export type TableSpec =
  | { layout: 'shedlock'; schema: string | null; table: string; timeZone: string }
  | { layout: 'int-lock'; schema: string | null; table: string; region: string; version: '6.5' | '7' | null; ttlMs: number; keys: string[] }
  | {
      layout: 'unique-key';
      schema: string | null;
      table: string;
      timeZone: string;
      columns: { name: string; owner: string; acquiredAt: string | null; expiresAt: string | null };
    };

/** A profile entry `{type: postgres|mysql, url, ...}`, validated. */
export interface SqlOptions {
  dialect: Dialect;
  url: string;
  where: string;
  name: string;
  timeZone: string;
  /** null: look for the known tables (shedlock, int_lock) when first used. */
  tables: TableSpec[] | null;
  advisory: boolean;
  getLock: boolean;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** Rows read per table for one listing. */
  listLimit: number;
}

const SPRING_TTL_MS = 10_000;

export function parseSqlOptions(o: Record<string, unknown>, name: string, type: string | undefined): SqlOptions {
  const url = o.url;
  const scheme = typeof url === 'string' ? /^([a-z]+):\/\//.exec(url)?.[1] : undefined;
  const fromUrl: Dialect | undefined = scheme === 'postgres' || scheme === 'postgresql' ? 'postgres' : scheme === 'mysql' || scheme === 'mariadb' ? 'mysql' : undefined;
  if (typeof url !== 'string' || !fromUrl) {
    throw new OpsError('config', `${name}: give "url: postgres://user@host:5432/db" or "url: mysql://user@host:3306/db"`, 'the scheme decides the driver (postgres://, postgresql://, mysql://, mariadb://)');
  }
  const fromType: Dialect | undefined = type === 'postgres' ? 'postgres' : type === 'mysql' ? 'mysql' : undefined;
  if (fromType && fromType !== fromUrl) {
    throw new OpsError('config', `${name}: type ${type} does not match the URL scheme ${scheme}://`, `use type: ${fromUrl === 'postgres' ? 'postgres' : 'mysql'} for this URL, or fix the URL`);
  }
  const where = `${name} (${redactText(url)})`;
  const timeZone = checkTimeZone(o.timeZone, name);
  let tables: TableSpec[] | null = null;
  if (o.tables !== undefined) {
    if (!Array.isArray(o.tables)) throw new OpsError('config', `${name}: tables must be a list`, 'for example tables: [{layout: shedlock, table: shedlock}]');
    tables = o.tables.map((t, i) => tableSpec(t, `${name}: tables[${i}]`, timeZone));
  }
  return {
    dialect: fromUrl,
    url,
    where,
    name,
    timeZone,
    tables,
    advisory: bool(o.advisory, true, `${name}: advisory`),
    getLock: bool(o.getLock, true, `${name}: getLock`),
    connectTimeoutMs: positive(o.connectTimeoutMs, 5000, `${name}: connectTimeoutMs`),
    statementTimeoutMs: positive(o.statementTimeoutMs, 10_000, `${name}: statementTimeoutMs`),
    listLimit: positive(o.listLimit, 5000, `${name}: listLimit`),
  };
}

function tableSpec(t: unknown, where: string, zone: string): TableSpec {
  if (typeof t !== 'object' || t === null) throw new OpsError('config', `${where} must be an object with a layout`, 'layouts: shedlock, int-lock, unique-key');
  const e = t as Record<string, unknown>;
  const timeZone = e.timeZone === undefined ? zone : checkTimeZone(e.timeZone, where);
  switch (e.layout) {
    case 'shedlock':
      return { layout: 'shedlock', ...checkTableName(e.table ?? 'shedlock', `${where}: table`), timeZone };
    case 'int-lock': {
      const version = e.version === undefined ? null : String(e.version);
      if (version !== null && version !== '6.5' && version !== '7') {
        throw new OpsError('config', `${where}: version must be "6.5" (CREATED_DATE + ttl) or "7" (EXPIRED_AFTER), not ${JSON.stringify(e.version)}`, 'or leave it out to detect it from the columns');
      }
      const keys = e.keys === undefined ? [] : e.keys;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new OpsError('config', `${where}: keys must be a list of lock names`, 'they are hashed to match LOCK_KEY values');
      if (e.region !== undefined && (typeof e.region !== 'string' || e.region === '')) throw new OpsError('config', `${where}: region must be a non-empty string`, 'Spring\'s default is DEFAULT');
      return {
        layout: 'int-lock',
        ...checkTableName(e.table ?? 'INT_LOCK', `${where}: table`),
        region: (e.region as string | undefined) ?? 'DEFAULT',
        version,
        ttlMs: e.ttl === undefined ? SPRING_TTL_MS : parseDuration(String(e.ttl), `${where}: ttl`),
        keys: keys as string[],
      };
    }
    case 'unique-key': {
      const c = e.columns as Record<string, unknown> | undefined;
      if (e.table === undefined || typeof c !== 'object' || c === null) {
        throw new OpsError('config', `${where}: a unique-key table needs table and columns: {name, owner, acquiredAt?, expiresAt?}`, 'map the columns of your lock table');
      }
      const opt = (v: unknown, what: string) => (v === undefined ? null : checkIdentifier(v, `${where}: columns.${what}`));
      return {
        layout: 'unique-key',
        ...checkTableName(e.table, `${where}: table`),
        timeZone,
        columns: { name: checkIdentifier(c.name, `${where}: columns.name`), owner: checkIdentifier(c.owner, `${where}: columns.owner`), acquiredAt: opt(c.acquiredAt, 'acquiredAt'), expiresAt: opt(c.expiresAt, 'expiresAt') },
      };
    }
    default:
      throw new OpsError('config', `${where}: unknown layout ${JSON.stringify(e.layout)}`, 'layouts: shedlock, int-lock, unique-key');
  }
}

function bool(v: unknown, d: boolean, what: string): boolean {
  if (v === undefined) return d;
  if (typeof v === 'boolean') return v;
  throw new OpsError('config', `${what} must be true or false, not ${JSON.stringify(v)}`, 'fix the profile');
}

function positive(v: unknown, d: number, what: string): number {
  if (v === undefined) return d;
  const n = Number(v);
  // Whole numbers only: these become LIMIT clauses and driver timeouts, where 2.5 is an SQL error.
  if (!Number.isInteger(n) || n <= 0) throw new OpsError('config', `${what} must be a positive whole number, not ${JSON.stringify(v)}`, 'fix the profile');
  return n;
}
