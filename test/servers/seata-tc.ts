import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildJar } from '../interop/support.js';
import { freePort } from './redis-server.js';
import { createSeataDb, seataDdl, type SeataDb } from './seata-schema.js';

/**
 * A real Seata 1.8.0 transaction coordinator (TC), repackaged from Maven Central by
 * test/interop/seata-tc/, with its DB store on a per-run PostgreSQL database. The console (HTTP)
 * listens on 127.0.0.1; the TC's RPC port binds every interface (Seata has no setting for it), so it
 * gets a port that is free on all of them. Logs go to a temp dir. A JVM start costs 6–60 s on two
 * busy cores, so a test run starts one and shares it (test/interop/seata.test.ts holds every test
 * that needs it).
 */
export interface SeataTc {
  /** The console, e.g. http://127.0.0.1:40123 (user seata, password seata). */
  consoleUrl: string;
  /** Where clients reach the coordinator: 127.0.0.1:PORT. */
  tcAddress: string;
  /** The store database (global_table, branch_table, lock_table, distributed_lock). */
  store: SeataDb;
  /** The database name, for JDBC URLs. */
  storeName: string;
  /** The last lines the JVM printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const MODULE = resolve(__dirname, '../interop/seata-tc');
export const SEATA_TC_JAR = join(MODULE, 'target', 'seata-tc.jar');
export const CONSOLE_USER = 'seata';
export const CONSOLE_PASSWORD = 'seata';
/** Bound on start-up: measured 6 s on an idle machine, several times that while other JVMs start. */
const START_BOUND_MS = 180_000;

export async function startSeataTc(): Promise<SeataTc> {
  buildJar(MODULE, SEATA_TC_JAR);
  const store = await createSeataDb('pg');
  for (const sql of seataDdl('pg')) await store.exec(sql);
  const storeName = new URL(store.url).pathname.slice(1);
  const httpPort = await freePort();
  const rpcPort = await freePort('0.0.0.0');
  const logDir = mkdtempSync(join(tmpdir(), 'opsdeck-seata-tc-'));
  const props: Record<string, string> = {
    'log.home': logDir,
    'server.port': String(httpPort),
    'server.address': '127.0.0.1',
    'seata.server.service-port': String(rpcPort),
    'seata.store.mode': 'db',
    'seata.store.db.datasource': 'druid',
    'seata.store.db.db-type': 'postgresql',
    'seata.store.db.driver-class-name': 'org.postgresql.Driver',
    'seata.store.db.url': `jdbc:postgresql://127.0.0.1:5432/${storeName}`,
    'seata.store.db.user': 'postgres',
    'seata.store.db.password': '',
    'seata.store.db.global-table': 'global_table',
    'seata.store.db.branch-table': 'branch_table',
    'seata.store.db.lock-table': 'lock_table',
    'seata.store.db.distributed-lock-table': 'distributed_lock',
    'seata.store.db.min-conn': '1',
    'seata.store.db.max-conn': '5',
    'console.user.username': CONSOLE_USER,
    'console.user.password': CONSOLE_PASSWORD,
  };
  // Spring settings must be system properties: Seata parses the program arguments itself
  // (-h host -p port -m mode) and prints its usage for anything else.
  const args = ['-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), '-jar', SEATA_TC_JAR, '-h', '127.0.0.1'];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + d.toString('utf8')).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(logDir, { recursive: true, force: true });
    await store.drop();
  };

  const consoleUrl = `http://127.0.0.1:${httpPort}`;
  try {
    const deadline = Date.now() + START_BOUND_MS;
    // Ready when the console logs a user in and the coordinator accepts connections.
    while (!(await loginWorks(consoleUrl)) || !(await accepts(rpcPort))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Seata TC exited (${child.exitCode ?? child.signalCode}) while starting:\n${tail}`);
      if (Date.now() > deadline) throw new Error(`the Seata TC did not answer on ${consoleUrl} and port ${rpcPort} within ${START_BOUND_MS / 1000} s:\n${tail}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { consoleUrl, tcAddress: `127.0.0.1:${rpcPort}`, store, storeName, output: () => tail, stop };
}

async function loginWorks(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: CONSOLE_USER, password: CONSOLE_PASSWORD }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { code?: unknown };
    return res.status === 200 && body.code === '200';
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host: '127.0.0.1', port });
    const end = (ok: boolean) => {
      s.destroy();
      done(ok);
    };
    s.setTimeout(2000, () => end(false));
    s.once('connect', () => end(true));
    s.once('error', () => end(false));
  });
}
