import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { freePort } from './redis-server.js';

/**
 * A database of its own on the machine's shared PostgreSQL (127.0.0.1:5432, trust auth) or
 * MariaDB (127.0.0.1:3306, root without password), named opsdeck_t_<random>, dropped by drop().
 * Tests never touch the shared `test` database's tables, and no run sees another's rows.
 */
export interface TestDb {
  dialect: 'postgres' | 'mysql';
  name: string;
  /** Connection URL for opsdeck profiles and drivers. */
  url: string;
  host: string;
  port: number;
  user: string;
  drop(): Promise<void>;
}

const PG_HOST = process.env.OPSDECK_TEST_PG_HOST ?? '127.0.0.1';
const PG_PORT = Number(process.env.OPSDECK_TEST_PG_PORT ?? 5432);
const PG_USER = process.env.OPSDECK_TEST_PG_USER ?? 'postgres';
const MY_HOST = process.env.OPSDECK_TEST_MYSQL_HOST ?? '127.0.0.1';
const MY_PORT = Number(process.env.OPSDECK_TEST_MYSQL_PORT ?? 3306);
const MY_USER = process.env.OPSDECK_TEST_MYSQL_USER ?? 'root';

const randomName = () => `opsdeck_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

export async function createPgDb(): Promise<TestDb> {
  const name = randomName();
  const admin = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: 'test', connectionTimeoutMillis: 5000 });
  await admin.connect().catch((e: Error) => {
    throw new Error(`PostgreSQL at ${PG_HOST}:${PG_PORT} (user ${PG_USER}, db test) is needed for these tests: ${e.message}`);
  });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    dialect: 'postgres',
    name,
    url: `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${name}`,
    host: PG_HOST,
    port: PG_PORT,
    user: PG_USER,
    async drop() {
      const c = new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: 'test' });
      await c.connect();
      try {
        // FORCE ends sessions a failed test left behind (PostgreSQL 13+).
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createMysqlDb(host = MY_HOST, port = MY_PORT, user = MY_USER): Promise<TestDb> {
  const name = randomName();
  const admin = await mysql.createConnection({ host, port, user, connectTimeout: 5000 }).catch((e: Error) => {
    throw new Error(`MariaDB/MySQL at ${host}:${port} (user ${user}) is needed for these tests: ${e.message}`);
  });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    dialect: 'mysql',
    name,
    url: `mysql://${user}@${host}:${port}/${name}`,
    host,
    port,
    user,
    async drop() {
      const c = await mysql.createConnection({ host, port, user });
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface PrivateMariadb {
  port: number;
  stop(): Promise<void>;
}

/**
 * A private mariadbd on a free loopback port in a temp datadir, with performance_schema and the
 * metadata-lock instrument on (the shared server has performance_schema off), so the GET_LOCK
 * holder/waiter path can be tested for real. Throws with the reason when it cannot start.
 */
export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-mariadb-'));
  const user = (() => {
    try {
      return execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
    } catch {
      return 'root';
    }
  })();
  try {
    execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${user}`], { stdio: 'pipe', timeout: 60_000 });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${(e as Error).message}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${join(dir, 'data')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'sock')}`,
      `--pid-file=${join(dir, 'pid')}`,
      `--user=${user}`,
      '--skip-log-bin',
      '--performance-schema=ON',
      '--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON',
      '--innodb-buffer-pool-size=16M',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const stop = async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`mariadbd exited with ${child.exitCode}:\n${log}`);
    }
    if (/ready for connections/.test(log)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mariadbd on port ${port} did not start in 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, stop };
}
