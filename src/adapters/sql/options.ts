import { redactText } from '../../core/redact.js';
import { bool, custom, defineOptions, duration, fail, fields, int, list, oneOf, str, strList, union, url } from '../kit/options.js';
import { dialectOfUrl } from '../kit/sql/db.js';
import { identifier, tableName } from '../kit/sql/identifiers.js';
import { isTimeZone } from './zoned-time.js';

const timeZone = custom<string>('an IANA time zone such as UTC or Europe/Berlin', (v, c) => {
  if (typeof v !== 'string' || !isTimeZone(v)) return fail(c, `timeZone ${JSON.stringify(v)} is not an IANA time zone`, 'use a name such as UTC or Europe/Berlin');
  return v;
});

/** Spring's JdbcLockRegistry default time-to-live. */
const SPRING_TTL_MS = 10_000;

/** One entry of `tables:`, by layout. A zone of undefined means the entry's `timeZone`. */
const TABLE = union(
  'layout',
  {
    shedlock: fields({ table: tableName({ default: 'shedlock' }), timeZone }, { finish: (t) => ({ layout: 'shedlock' as const, ...t.table, timeZone: t.timeZone }) }),
    'int-lock': fields(
      {
        table: tableName({ default: 'INT_LOCK' }),
        region: str({ nonEmpty: true, default: 'DEFAULT', hint: "Spring's default is DEFAULT" }),
        /** "6.5" (CREATED_DATE + ttl) or "7" (EXPIRED_AFTER); absent: detected from the columns. */
        version: oneOf(['6.5', '7'], { hint: 'or leave it out to detect it from the columns' }),
        ttl: duration({ bareMs: false, default: SPRING_TTL_MS, hint: "the registry's time-to-live, such as 10s" }),
        /** Lock names whose hashed LOCK_KEY listings should show by name. */
        keys: strList({ hint: 'they are hashed to match LOCK_KEY values' }),
      },
      { finish: (t) => ({ layout: 'int-lock' as const, ...t.table, region: t.region, version: t.version ?? null, ttlMs: t.ttl, keys: t.keys ?? [] }) },
    ),
    'unique-key': fields(
      {
        table: tableName({ required: 'table: method_lock' }),
        timeZone,
        columns: fields({ name: identifier({ required: 'name: lock_name' }), owner: identifier({ required: 'owner: holder' }), acquiredAt: identifier(), expiresAt: identifier() }),
      },
      {
        finish: (t, x) => {
          if (t.columns === undefined) return x.fail('columns', 'a unique-key table needs columns: {name, owner, acquiredAt?, expiresAt?}', 'map the columns of your lock table');
          const c = t.columns;
          return { layout: 'unique-key' as const, ...t.table, timeZone: t.timeZone, columns: { name: c.name, owner: c.owner, acquiredAt: c.acquiredAt ?? null, expiresAt: c.expiresAt ?? null } };
        },
      },
    ),
  },
  { hint: 'layouts: shedlock, int-lock, unique-key' },
);

/** The options of a `{type: postgres}` or `{type: mysql}` entry. Loads no driver. */
export const SQL_OPTIONS = defineOptions(
  { type: 'sql', readme: 'SQL locks (PostgreSQL, MySQL/MariaDB)' },
  {
    url: url({
      // The type and the scheme must agree; read without a type (tests), any of them goes.
      schemes: (type) => (type === 'postgres' ? ['postgres', 'postgresql'] : type === 'mysql' ? ['mysql', 'mariadb'] : ['postgres', 'postgresql', 'mysql', 'mariadb']),
      required: 'url: postgres://user@host:5432/db',
      hint: 'the scheme decides the driver: postgres:// or postgresql:// for type postgres, mysql:// or mariadb:// for type mysql',
    }),
    /** The apps' zone, for zone-less timestamps. */
    timeZone,
    /** Absent: look for the known tables (shedlock, int_lock) when first used. */
    tables: list(TABLE, { hint: 'for example tables: [{layout: shedlock, table: shedlock}]' }),
    /** PostgreSQL advisory locks. */
    advisory: bool({ default: true }),
    /** MySQL/MariaDB GET_LOCK locks. */
    getLock: bool({ default: true }),
    connectTimeoutMs: duration({ bareMs: true, default: 5000 }),
    statementTimeoutMs: duration({ bareMs: true, default: 10_000 }),
    /** Rows read per table for one listing. */
    listLimit: int({ default: 5000, max: 1_000_000 }),
  },
  (o) => {
    const dialect = dialectOfUrl(o.url)!;
    const zone = o.timeZone ?? 'UTC';
    const tables = o.tables === undefined ? null : o.tables.map((t) => ('timeZone' in t ? { ...t, timeZone: t.timeZone ?? zone } : t));
    return { ...o, dialect, timeZone: zone, tables };
  },
);

type Read = ReturnType<typeof SQL_OPTIONS.read>;
export type TableSpec = NonNullable<Read['tables']>[number];

/** A profile entry `{type: postgres|mysql, url, ...}`, validated, with its name for messages. */
export type SqlOptions = Read & { name: string; where: string };

export function parseSqlOptions(o: Record<string, unknown>, name: string, type: string | undefined): SqlOptions {
  const read = SQL_OPTIONS.read(o, { type: type ?? 'sql' });
  return { ...read, name, where: `${name} (${redactText(read.url)})` };
}
