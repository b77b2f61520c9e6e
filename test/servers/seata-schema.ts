import { randomBytes } from 'node:crypto';

/**
 * A throwaway database on the shared PostgreSQL (trust auth) or MariaDB (root, no password) with
 * the Seata server's store tables. The DDL is written here from the documented column lists of
 * apache/incubator-seata script/server/db/{postgresql,mysql}.sql (2.x): same names, types and
 * nullability. Each run creates its own database with a random name and drops it at the end.
 */
export type Dialect = 'pg' | 'mysql';

export interface SeataDb {
  dialect: Dialect;
  /** The URL opsdeck's profile uses. */
  url: string;
  exec(sql: string, params?: unknown[]): Promise<void>;
  drop(): Promise<void>;
}

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_ADMIN = 'mysql://root@127.0.0.1:3306/test';

export async function createSeataDb(dialect: Dialect): Promise<SeataDb> {
  const name = `opsdeck_s_${randomBytes(6).toString('hex')}`;
  return dialect === 'pg' ? createPg(name) : createMysql(name);
}

async function createPg(name: string): Promise<SeataDb> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  return {
    dialect: 'pg',
    url,
    async exec(sql, params = []) {
      let n = 0;
      await db.query(sql.replace(/\?/g, () => `$${++n}`), params);
    },
    async drop() {
      await db.end();
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function createMysql(name: string): Promise<SeataDb> {
  const mysql = (await import('mysql2/promise')).default;
  const admin = await mysql.createConnection({ uri: MYSQL_ADMIN });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `mysql://root@127.0.0.1:3306/${name}`;
  const db = await mysql.createConnection({ uri: url });
  return {
    dialect: 'mysql',
    url,
    async exec(sql, params = []) {
      await db.query(sql, params);
    },
    async drop() {
      await db.end();
      const a = await mysql.createConnection({ uri: MYSQL_ADMIN });
      await a.query(`DROP DATABASE IF EXISTS ${name}`);
      await a.end();
    },
  };
}

/**
 * The full server schema: global_table, branch_table, lock_table with every documented column and
 * index, and distributed_lock with its four rows: a 1.5+ TC on the DB store takes these row locks
 * before each scheduled task (async commit, retries, timeout check) and does not start its
 * coordinator without the table.
 */
export function seataDdl(dialect: Dialect): string[] {
  const tiny = dialect === 'pg' ? 'SMALLINT' : 'TINYINT';
  const ts = (p: number) => (dialect === 'pg' ? `TIMESTAMP(${p})` : p === 0 ? 'DATETIME' : `DATETIME(${p})`);
  return [
    `CREATE TABLE global_table (
      xid VARCHAR(128) NOT NULL, transaction_id BIGINT, status ${tiny} NOT NULL, application_id VARCHAR(32),
      transaction_service_group VARCHAR(32), transaction_name VARCHAR(128), timeout INT, begin_time BIGINT,
      application_data VARCHAR(2000), gmt_create ${ts(0)}, gmt_modified ${ts(0)}, PRIMARY KEY (xid))`,
    'CREATE INDEX idx_global_status_gmt_modified ON global_table (status, gmt_modified)',
    'CREATE INDEX idx_global_transaction_id ON global_table (transaction_id)',
    `CREATE TABLE branch_table (
      branch_id BIGINT NOT NULL, xid VARCHAR(128) NOT NULL, transaction_id BIGINT, resource_group_id VARCHAR(32),
      resource_id VARCHAR(256), branch_type VARCHAR(8), status ${tiny}, client_id VARCHAR(64), application_data VARCHAR(2000),
      gmt_create ${ts(6)}, gmt_modified ${ts(6)}, PRIMARY KEY (branch_id))`,
    'CREATE INDEX idx_branch_xid ON branch_table (xid)',
    `CREATE TABLE lock_table (
      row_key VARCHAR(128) NOT NULL, xid VARCHAR(128), transaction_id BIGINT, branch_id BIGINT NOT NULL, resource_id VARCHAR(256),
      table_name VARCHAR(32), pk VARCHAR(36), status ${tiny} NOT NULL DEFAULT 0, gmt_create ${ts(0)}, gmt_modified ${ts(0)},
      PRIMARY KEY (row_key))`,
    'CREATE INDEX idx_lock_status ON lock_table (status)',
    'CREATE INDEX idx_lock_branch_id ON lock_table (branch_id)',
    'CREATE INDEX idx_lock_xid ON lock_table (xid)',
    'CREATE TABLE distributed_lock (lock_key VARCHAR(20) NOT NULL, lock_value VARCHAR(20) NOT NULL, expire BIGINT NOT NULL, PRIMARY KEY (lock_key))',
    ...DISTRIBUTED_LOCK_KEYS.map((k) => `INSERT INTO distributed_lock (lock_key, lock_value, expire) VALUES ('${k}', ' ', 0)`),
  ];
}

/** The TC's scheduled tasks, one distributed_lock row each (the rows Seata's script/server/db DDL inserts). */
export const DISTRIBUTED_LOCK_KEYS = ['AsyncCommitting', 'RetryCommitting', 'RetryRollbacking', 'TxTimeoutCheck'] as const;

/**
 * A store from before lock_table.status (Seata < 1.5) and without the other optional columns:
 * only what a Seata table cannot be without, under non-default names (the `tables` profile key).
 */
export function minimalDdl(dialect: Dialect): string[] {
  const tiny = dialect === 'pg' ? 'SMALLINT' : 'TINYINT';
  return [
    `CREATE TABLE old_global (xid VARCHAR(128) NOT NULL PRIMARY KEY, status ${tiny} NOT NULL, application_id VARCHAR(32), transaction_name VARCHAR(128), timeout INT, begin_time BIGINT)`,
    'CREATE TABLE old_branch (branch_id BIGINT NOT NULL PRIMARY KEY, xid VARCHAR(128) NOT NULL, resource_id VARCHAR(256), branch_type VARCHAR(8), status SMALLINT)',
    'CREATE TABLE old_lock (row_key VARCHAR(128) NOT NULL PRIMARY KEY, xid VARCHAR(128), branch_id BIGINT NOT NULL)',
  ];
}
