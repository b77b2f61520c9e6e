import { describe, expect, it } from 'vitest';
import { parseTableName, quoteIdent, quoteTable } from '../../src/adapters/kit/sql/identifiers.js';
import { parseSqlOptions } from '../../src/adapters/sql/options.js';
import { parseKey } from '../../src/adapters/sql/pg-advisory.js';
import { parseTimestamp, toWallClock } from '../../src/adapters/sql/zoned-time.js';
import { OpsError } from '../../src/core/errors.js';

describe('SQL lock adapter pure parts', () => {
  it('maps advisory lock names back to the pg_locks columns, both key forms, negative keys included', () => {
    expect(parseKey('pg-advisory:42')).toEqual({ classid: '0', objid: '42', objsubid: 1 });
    // -1 as bigint is all ones: both halves are the largest oid.
    expect(parseKey('pg-advisory:-1')).toEqual({ classid: '4294967295', objid: '4294967295', objsubid: 1 });
    expect(parseKey('pg-advisory:4294967296')).toEqual({ classid: '1', objid: '0', objsubid: 1 });
    expect(parseKey('pg-advisory:1,-2')).toEqual({ classid: '1', objid: '4294967294', objsubid: 2 });
    expect(parseKey('pg-advisory:1,4294967296')).toBeNull();
    expect(parseKey('pg-advisory:9223372036854775808')).toBeNull();
    expect(parseKey('pg-advisory:1; select 1')).toBeNull();
  });

  it('converts wall clocks in a zone across daylight saving time, and honours explicit offsets', () => {
    // Berlin is UTC+1 in January and UTC+2 in July.
    expect(parseTimestamp('2026-01-15 10:00:00.250', 'Europe/Berlin')).toBe(Date.parse('2026-01-15T09:00:00.250Z'));
    expect(parseTimestamp('2026-07-15 10:00:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-15T08:00:00Z'));
    expect(toWallClock(Date.parse('2026-07-15T08:00:00.007Z'), 'Europe/Berlin')).toBe('2026-07-15 10:00:00.007');
    expect(parseTimestamp('2026-07-15 10:00:00.123456+05:30', 'Europe/Berlin')).toBe(Date.parse('2026-07-15T04:30:00.123Z'));
    expect(parseTimestamp('2026-07-15 10:00:00-03', 'UTC')).toBe(Date.parse('2026-07-15T13:00:00Z'));
    expect(parseTimestamp('yesterday', 'UTC')).toBeNull();
  });

  it('accepts only plain identifiers for tables and columns, and quotes them per dialect', () => {
    expect(parseTableName('ops.shedlock')).toEqual({ schema: 'ops', table: 'shedlock' });
    expect(quoteIdent('postgres', 'INT_LOCK')).toBe('"INT_LOCK"');
    expect(quoteIdent('mysql', 'INT_LOCK')).toBe('`INT_LOCK`');
    expect(quoteTable('postgres', { schema: 'ops', table: 'shedlock' })).toBe('"ops"."shedlock"');
    for (const bad of ['a b', 'x"; drop table y; --', '1abc', '', 'a.b.c', 'x`y']) {
      expect(parseTableName(bad)).toBeNull();
      expect(() => parseSqlOptions({ url: 'postgres://h/db', tables: [{ layout: 'shedlock', table: bad }] }, 'x', 'postgres')).toThrow(/tables\[0\]\.table must be a table name/);
    }
    expect(() => parseSqlOptions({ url: 'postgres://h/db', tables: [{ layout: 'unique-key', table: 't', columns: { name: 'a-b', owner: 'o' } }] }, 'x', 'postgres')).toThrow(/columns\.name "a-b" is not a plain SQL identifier/);
  });

  it('validates profile entries with a next step', () => {
    expect(parseSqlOptions({ url: 'mariadb://root@h/db' }, 'my', 'mysql')).toMatchObject({ dialect: 'mysql', timeZone: 'UTC', tables: null, advisory: true, getLock: true });
    const err = (o: Record<string, unknown>, type?: string) => {
      try {
        parseSqlOptions(o, 'x', type);
      } catch (e) {
        return e as OpsError;
      }
      throw new Error('no error');
    };
    expect(err({ url: 'postgres://h/db' }, 'mysql').message).toMatch(/url must be a mysql:\/\/ or mariadb:\/\/ URL/);
    expect(err({ url: 'redis://h' }).kind).toBe('config');
    expect(err({ url: 'postgres://h/db', timeZone: 'Mars/Olympus' }).message).toMatch(/not an IANA time zone/);
    expect(err({ url: 'postgres://h/db', tables: [{ layout: 'int-lock', version: '5' }] }).message).toMatch(/tables\[0\]\.version must be one of 6\.5, 7/);
    expect(parseSqlOptions({ url: 'postgres://h/db', tables: [{ layout: 'int-lock', version: 7 }] }, 'x', 'postgres').tables).toMatchObject([{ version: '7', table: 'INT_LOCK', region: 'DEFAULT', ttlMs: 10_000 }]);
    expect(err({ url: 'postgres://h/db', tables: [{ layout: 'unique-key', table: 't' }] }).hint).toMatch(/map the columns/);
    expect(parseSqlOptions({ url: 'postgres://u:pw@h/db' }, 'pg', 'postgres').where).not.toMatch(/pw/);
    // A fraction would end up in a LIMIT clause as an SQL error at list time; refuse it up front.
    expect(err({ url: 'postgres://h/db', listLimit: 2.5 }).message).toMatch(/listLimit must be a whole number from 1 to 1000000, not 2\.5/);
    // int-lock tables are always read in UTC (Spring writes UTC), so a zone there is a mistake.
    expect(err({ url: 'postgres://h/db', tables: [{ layout: 'int-lock', timeZone: 'Europe/Berlin' }] }).message).toMatch(/unknown option tables\[0\]\.timeZone/);
    expect(parseSqlOptions({ url: 'postgres://h/db', listLimit: 200 }, 'pg', 'postgres').listLimit).toBe(200);
  });
});
