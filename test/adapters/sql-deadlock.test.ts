import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/adapters/kit/sql/db.js';
import { createMysqlDb, createPgDb, type TestDb } from '../servers/sql-db.js';

/**
 * A statement the server picks as a deadlock victim is run again by the kit's driver layer
 * instead of failing the command: the lock conformance suite's contenders on a unique-key table
 * in MariaDB lost INSERTs that way ("Deadlock found when trying to get lock"). Here a real
 * deadlock is made on purpose: another session (the heavier transaction, so InnoDB and PostgreSQL
 * both pick opsdeck's statement as the victim) holds row 1 and then asks for row 2, while opsdeck's
 * one statement holds row 2 and waits for row 1.
 */
describe.each([
  ['PostgreSQL', 'postgres'],
  ['MariaDB', 'mysql'],
] as const)('a deadlock victim on %s', (_label, dialect) => {
  let test: TestDb;
  let db: Db;
  let other: { query(sql: string): Promise<unknown>; end(): Promise<void> };
  // Watches the server from outside both transactions: PostgreSQL snapshots pg_stat_activity once
  // per transaction, so polling it from inside the other session's open transaction would see the
  // same (empty) picture for ever when opsdeck's statement arrives after the first look.
  let probe: { query(sql: string): Promise<unknown>; end(): Promise<void> };

  beforeAll(async () => {
    test = dialect === 'postgres' ? await createPgDb() : await createMysqlDb();
    db = await openDb(dialect, { url: test.url, where: 'test db', connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
    if (dialect === 'postgres') {
      const connect = async () => {
        const c = new pg.Client({ connectionString: test.url });
        await c.connect();
        return { query: (sql: string) => c.query(sql), end: () => c.end() };
      };
      other = await connect();
      probe = await connect();
    } else {
      const connect = async () => {
        const c = await mysql.createConnection({ uri: test.url });
        return { query: (sql: string) => c.query(sql), end: () => c.end() };
      };
      other = await connect();
      probe = await connect();
    }
    await db.query('CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)');
    await db.query('CREATE TABLE ballast (id INT PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES (1, 0), (2, 0)');
  });
  afterAll(async () => {
    await other?.end();
    await probe?.end();
    await db?.close();
    await test?.drop();
  });

  it('is run again once the other transaction is done, and succeeds', async () => {
    const before = await deadlocks(dialect, probe);
    await other.query(dialect === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
    // Many rows of undo make the other transaction the one the server keeps.
    await other.query(`INSERT INTO ballast VALUES ${Array.from({ length: 200 }, (_, i) => `(${i})`).join(', ')}`);
    await other.query('UPDATE t SET v = v + 10 WHERE id = 1');
    // opsdeck's statement locks row 2, then waits for row 1 (held above).
    const ours =
      dialect === 'postgres'
        ? db.query('UPDATE t SET v = v + 1 WHERE id IN (SELECT id FROM t WHERE id IN (1, 2) ORDER BY id DESC FOR UPDATE)')
        : db.query('UPDATE t SET v = v + 1 WHERE id IN (1, 2) ORDER BY id DESC');
    // Should the wait below fail, the statement's own later error must not surface as unhandled.
    ours.catch(() => undefined);
    await untilRunning(dialect, probe);
    // Now the other session wants row 2: a cycle, and the server picks opsdeck's statement as the victim.
    await other.query('UPDATE t SET v = v + 10 WHERE id = 2');
    await other.query('COMMIT');
    const result = await ours;
    expect(result.affected).toBe(2);
    const { rows } = await db.query('SELECT id, v FROM t ORDER BY id');
    expect(rows.map((r) => [Number(r.id), Number(r.v)])).toEqual([
      [1, 11],
      [2, 11],
    ]);
    // The server did see a deadlock: the statement above lost it once and was run again.
    await expect.poll(() => deadlocks(dialect, probe), { timeout: 10_000 }).toBeGreaterThan(before);
  }, 180_000);
});

type Conn = { query(sql: string): Promise<unknown> };

async function rowsOf(c: Conn, sql: string): Promise<Array<Record<string, unknown>>> {
  const r = (await c.query(sql)) as { rows?: Array<Record<string, unknown>> } | [Array<Record<string, unknown>>];
  return Array.isArray(r) ? r[0] : r.rows!;
}

/** The server's count of deadlocks it resolved (PostgreSQL: in this database). */
async function deadlocks(dialect: 'postgres' | 'mysql', c: Conn): Promise<number> {
  const rows =
    dialect === 'postgres'
      ? await rowsOf(c, 'SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()')
      : await rowsOf(c, "SELECT VARIABLE_VALUE AS n FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'");
  return Number(rows[0]!.n);
}

/** Waits until opsdeck's UPDATE is running on the server (it then holds row 2 and waits for row 1), plus a moment. */
async function untilRunning(dialect: 'postgres' | 'mysql', c: Conn): Promise<void> {
  const sql =
    dialect === 'postgres'
      ? "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE t SET v = v + 1%'"
      : "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE t SET v = v + 1%'";
  // Bounded by time, not by tries: on a loaded machine the opsdeck process takes seconds to start.
  for (const until = Date.now() + 90_000; Date.now() < until; ) {
    if (Number((await rowsOf(c, sql))[0]!.n) > 0) {
      await new Promise((res) => setTimeout(res, 300));
      return;
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("opsdeck's statement never reached the server");
}
