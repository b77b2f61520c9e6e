import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, it } from 'vitest';
import { connect } from '../../src/adapters/sql/index.js';
import { springLockKey } from '../../src/adapters/sql/uuid-v3.js';
import type { LockBackend } from '../../src/core/subsystems.js';
import { createMysqlDb, createPgDb, type TestDb } from '../servers/sql-db.js';
import { describeLockConformance, type LockCase, type LockHarness } from './lock-suite.js';

/**
 * The lock conformance suite against every SQL layout opsdeck can acquire, on the machine's real
 * PostgreSQL and MariaDB, each in a database of its own. Probes are plain SQL against the rows,
 * computing "now" in the database or independently of the adapter.
 */
type Probe = (name: string) => Promise<string | null>;
type Raw = { query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>; end(): Promise<void> };

async function rawPg(db: TestDb): Promise<Raw> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  return { query: async (sql, params) => (await c.query(sql, params as unknown[])).rows, end: () => c.end() };
}

async function rawMysql(db: TestDb): Promise<Raw> {
  const c = await mysql.createConnection({ uri: db.url, dateStrings: true });
  return { query: async (sql, params) => (await c.query(sql, params))[0] as Record<string, unknown>[], end: () => c.end() };
}

/** Europe/Berlin wall clock of this instant, via Intl (MariaDB here has no time zone tables). */
const berlinNow = () => new Date().toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace(',', '') + '.' + String(Date.now() % 1000).padStart(3, '0');
const utcNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

interface Layout {
  label: string;
  create: (db: TestDb) => Promise<TestDb>;
  ddl: string[];
  profile: Record<string, unknown>;
  probe: (raw: Raw) => Probe;
  minTtlMs: number;
  skip: Partial<Record<LockCase, string>>;
}

const NO_HOLD_COUNT = 'a lock row records no hold count; the frameworks have no reentrancy in the table';
const NO_QUEUE = 'contenders poll the table; nothing records waiters, so there is no queue order';

function harness(l: Layout): () => Promise<LockHarness> {
  return async () => {
    const db = await l.create(undefined as never);
    const raw = l.label.includes('PostgreSQL') ? await rawPg(db) : await rawMysql(db);
    for (const stmt of l.ddl) await raw.query(stmt);
    const adapter = await connect({ url: db.url, ...l.profile }, { dataDir: '/nonexistent', version: 'test', name: 'sql', type: db.dialect });
    return {
      backend: adapter.locks as Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend,
      probe: { holder: l.probe(raw) },
      minTtlMs: l.minTtlMs,
      fencing: false,
      async dispose() {
        await adapter.dispose();
        await raw.end();
        await db.drop();
      },
    };
  };
}

const first = (rows: Record<string, unknown>[], col: string) => (rows[0] ? String(rows[0][col]).trimEnd() : null);

const layouts: Layout[] = [
  {
    label: 'ShedLock table on PostgreSQL (TIMESTAMP in Europe/Berlin)',
    create: () => createPgDb(),
    ddl: ['CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))'],
    profile: { timeZone: 'Europe/Berlin', tables: [{ layout: 'shedlock' }], advisory: false },
    probe: (raw) => async (name) => first(await raw.query(`SELECT locked_by FROM shedlock WHERE name = $1 AND lock_until > (now() AT TIME ZONE 'Europe/Berlin')`, [name]), 'locked_by'),
    minTtlMs: 500,
    skip: { reentrant: NO_HOLD_COUNT, fifo: NO_QUEUE, fencing: 'ShedLock stores no fencing token' },
  },
  {
    label: 'ShedLock table on MariaDB (TIMESTAMP(3) in Europe/Berlin)',
    create: () => createMysqlDb(),
    ddl: ['CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP(3) NOT NULL, locked_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))'],
    profile: { timeZone: 'Europe/Berlin', tables: [{ layout: 'shedlock', table: 'shedlock' }], getLock: false },
    probe: (raw) => async (name) => first(await raw.query('SELECT locked_by FROM shedlock WHERE name = ? AND lock_until > ?', [name, berlinNow()]), 'locked_by'),
    minTtlMs: 500,
    skip: { reentrant: NO_HOLD_COUNT, fifo: NO_QUEUE, fencing: 'ShedLock stores no fencing token' },
  },
  {
    label: 'Spring Integration 7 INT_LOCK on PostgreSQL',
    create: () => createPgDb(),
    ddl: ['CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL, constraint INT_LOCK_PK primary key (LOCK_KEY, REGION))'],
    profile: { tables: [{ layout: 'int-lock' }], advisory: false },
    probe: (raw) => async (name) =>
      first(await raw.query(`SELECT client_id FROM int_lock WHERE region = 'DEFAULT' AND lock_key = $1 AND expired_after > (now() AT TIME ZONE 'UTC')`, [springLockKey(name)]), 'client_id'),
    minTtlMs: 500,
    skip: { reentrant: NO_HOLD_COUNT, fifo: NO_QUEUE, fencing: 'INT_LOCK stores no fencing token', list: 'LOCK_KEY is a one-way UUID of the name, so a listing cannot show names it was not told (profile "keys")' },
  },
  {
    label: 'Spring Integration 7 INT_LOCK on MariaDB',
    create: () => createMysqlDb(),
    ddl: ['CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE DATETIME(6) NOT NULL, EXPIRED_AFTER DATETIME(6) NOT NULL, constraint INT_LOCK_PK primary key (LOCK_KEY, REGION)) ENGINE=InnoDB'],
    profile: { tables: [{ layout: 'int-lock', table: 'INT_LOCK', region: 'DEFAULT', version: '7' }], getLock: false },
    probe: (raw) => async (name) => first(await raw.query(`SELECT CLIENT_ID FROM INT_LOCK WHERE REGION = 'DEFAULT' AND LOCK_KEY = ? AND EXPIRED_AFTER > UTC_TIMESTAMP(6)`, [springLockKey(name)]), 'CLIENT_ID'),
    minTtlMs: 500,
    skip: { reentrant: NO_HOLD_COUNT, fifo: NO_QUEUE, fencing: 'INT_LOCK stores no fencing token', list: 'LOCK_KEY is a one-way UUID of the name, so a listing cannot show names it was not told (profile "keys")' },
  },
  {
    label: 'Spring Integration ≤6.5 INT_LOCK on PostgreSQL (registry ttl 30s)',
    create: () => createPgDb(),
    ddl: ['CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, constraint INT_LOCK_PK primary key (LOCK_KEY, REGION))'],
    profile: { tables: [{ layout: 'int-lock', ttl: '30s' }], advisory: false },
    probe: (raw) => async (name) =>
      first(await raw.query(`SELECT client_id FROM int_lock WHERE region = 'DEFAULT' AND lock_key = $1 AND created_date > (now() AT TIME ZONE 'UTC') - interval '30 seconds'`, [springLockKey(name)]), 'client_id'),
    minTtlMs: 30_000,
    skip: {
      reentrant: NO_HOLD_COUNT,
      fifo: NO_QUEUE,
      fencing: 'INT_LOCK stores no fencing token',
      list: 'LOCK_KEY is a one-way UUID of the name, so a listing cannot show names it was not told (profile "keys")',
      ttl: 'the ≤6.5 layout has no per-lock lease (the registry ttl applies to all); expiry after a 1s registry ttl is tested in test/adapters/sql-locks.test.ts',
    },
  },
  {
    label: 'unique-key table on PostgreSQL (timestamptz columns)',
    create: () => createPgDb(),
    ddl: ['CREATE TABLE method_lock (id serial PRIMARY KEY, lock_name VARCHAR(128) NOT NULL UNIQUE, holder VARCHAR(128) NOT NULL, taken_at timestamptz NOT NULL, valid_until timestamptz NOT NULL)'],
    profile: { tables: [{ layout: 'unique-key', table: 'method_lock', columns: { name: 'lock_name', owner: 'holder', acquiredAt: 'taken_at', expiresAt: 'valid_until' } }], advisory: false },
    probe: (raw) => async (name) => first(await raw.query('SELECT holder FROM method_lock WHERE lock_name = $1 AND valid_until > now()', [name]), 'holder'),
    minTtlMs: 500,
    skip: { reentrant: NO_HOLD_COUNT, fifo: NO_QUEUE, fencing: 'the table stores no fencing token' },
  },
  {
    label: 'unique-key table on MariaDB (DATETIME(3) columns in UTC)',
    create: () => createMysqlDb(),
    ddl: ['CREATE TABLE methodLock (id INT AUTO_INCREMENT PRIMARY KEY, method_name VARCHAR(128) NOT NULL, owner_id VARCHAR(128) NOT NULL, created DATETIME(3) NOT NULL, expires DATETIME(3) NOT NULL, UNIQUE KEY uk_method (method_name))'],
    profile: { tables: [{ layout: 'unique-key', table: 'methodLock', columns: { name: 'method_name', owner: 'owner_id', acquiredAt: 'created', expiresAt: 'expires' } }], getLock: false },
    probe: (raw) => async (name) => first(await raw.query('SELECT owner_id FROM methodLock WHERE method_name = ? AND expires > ?', [name, utcNow()]), 'owner_id'),
    minTtlMs: 500,
    skip: { reentrant: NO_HOLD_COUNT, fifo: NO_QUEUE, fencing: 'the table stores no fencing token' },
  },
];

for (const l of layouts) describeLockConformance(l.label, harness(l), l.skip);

describe('lock conformance: server locks', () => {
  it.skip('PostgreSQL advisory locks and MySQL GET_LOCK are not in the suite (skipped: opsdeck cannot hold them — they belong to the database session that takes them, which ends with the command; their forensics and force release are tested in test/adapters/sql-locks.test.ts)', () => undefined);
});
