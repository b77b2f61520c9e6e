import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleHttp, jwtExpiry } from '../../src/adapters/seata-console/console-http.js';
import { parseSeataConsoleOptions } from '../../src/adapters/seata-console/options.js';
import { opsdeck, sandbox, type RunResult } from '../helpers/cli.js';
import { DISTRIBUTED_LOCK_KEYS } from '../servers/seata-schema.js';
import { CONSOLE_PASSWORD, CONSOLE_USER, startSeataTc, type SeataTc } from '../servers/seata-tc.js';
import { createPgDb, type TestDb } from '../servers/sql-db.js';
import { buildJar, LineProcess, writeProfiles } from './support.js';

/**
 * opsdeck against a real Seata 1.8.0 coordinator (test/servers/seata-tc.ts, DB store on a per-run
 * PostgreSQL database) and a real AT application (test/interop/seata-at/: seata-all 1.8.0, HikariCP
 * behind DataSourceProxy) moving money between two rows of its own database. Every row opsdeck
 * reads here was written by the TC, and both adapters read it: seata-db from the store tables and
 * seata-console from the TC's console API.
 *
 * The tests run in order, as one story: a transaction in flight; a second one whose application
 * dies, so the TC times it out and keeps retrying a rollback nobody can deliver while the row locks
 * stay held; then the application's resource comes back and the TC finishes the rollback and
 * deletes every row. The console tests use the same TC.
 */

const AT_MODULE = resolve(__dirname, 'seata-at');
const AT_JAR = join(AT_MODULE, 'target', 'seata-at.jar');
const APP = 'order-svc';
const GROUP = 'opsdeck_tx_group';
/** Long enough that the in-flight transaction never times out while it is looked at. */
const HELD_TIMEOUT_MS = 120_000;
/** Short, so the timed-out case does not wait the 60 s default. */
const SHORT_TIMEOUT_MS = 3_000;
/** Bound on waiting for the TC to act (timeout check and retries run every second). */
const TC_BOUND_MS = 60_000;
/** Bound on a JVM starting or answering its first request (seconds when idle, far more on a busy CI machine). */
const JVM_BOUND_MS = 120_000;

let tc: SeataTc;
let biz: TestDb;
let jdbcUrl: string;
let box: ReturnType<typeof sandbox>;
let store: pg.Client;
let app: LineProcess | null = null;
let rm: LineProcess | null = null;

const run = (profile: string, ...args: string[]): RunResult => opsdeck(box.env, ['--profile', profile, ...args]);
function ok<T = any>(profile: string, ...args: string[]): T {
  const r = run(profile, ...args, '-o', 'json');
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json<T>();
}

/** A JVM of the AT program: `at` begins transactions, `rm` only registers the resource. */
function startApp(mode: 'at' | 'rm'): LineProcess {
  return new LineProcess(`seata-at ${mode}`, 'java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', AT_JAR, mode, tc.tcAddress, jdbcUrl, biz.user, APP]);
}

async function balances(): Promise<Record<number, number>> {
  const c = new pg.Client({ connectionString: biz.url });
  await c.connect();
  try {
    const { rows } = await c.query('SELECT id, balance FROM account ORDER BY id');
    return Object.fromEntries(rows.map((r) => [r.id, r.balance]));
  } finally {
    await c.end();
  }
}

/** Polls until `probe` returns a value (not undefined), at most TC_BOUND_MS. */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TC_BOUND_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${TC_BOUND_MS / 1000} s; TC output:\n${tc.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  // A cold Maven cache downloads Seata, Spring Boot and the drivers here (about two minutes).
  buildJar(AT_MODULE, AT_JAR);
  tc = await startSeataTc();
  store = new pg.Client({ connectionString: tc.store.url });
  await store.connect();
  biz = await createPgDb();
  jdbcUrl = `jdbc:postgresql://${biz.host}:${biz.port}/${biz.name}`;
  const c = new pg.Client({ connectionString: biz.url });
  await c.connect();
  // The business table and the undo log an AT resource needs (Seata's client DDL, PostgreSQL:
  // SERIAL makes the undo_log_id_seq sequence the undo log manager draws ids from).
  await c.query('CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)');
  await c.query('INSERT INTO account VALUES (1, 100), (2, 100)');
  await c.query(`CREATE TABLE undo_log (id SERIAL PRIMARY KEY, branch_id BIGINT NOT NULL, xid VARCHAR(128) NOT NULL, context VARCHAR(128) NOT NULL,
    rollback_info BYTEA NOT NULL, log_status INT NOT NULL, log_created TIMESTAMP(0) NOT NULL, log_modified TIMESTAMP(0) NOT NULL, UNIQUE (xid, branch_id))`);
  await c.end();

  box = sandbox();
  box.env.SEATA_PW = CONSOLE_PASSWORD;
  const db = { type: 'seata-db', url: tc.store.url, version: '1' };
  const con = { type: 'seata-console', url: tc.consoleUrl, username: CONSOLE_USER, password: '${SEATA_PW}', version: '1' };
  writeProfiles(box.env, {
    db: { tx: db },
    'db-1s': { tx: { ...db, retryingThreshold: '1s' } },
    console: { tx: con },
    'console-badpw': { tx: { ...con, password: 'not-the-password' } },
    locks: { locks: [{ ...db, name: 'seata-store' }, { ...con, name: 'seata-console' }] },
  });
  app = startApp('at');
  await app.next('HELLO', JVM_BOUND_MS);
}, 600_000);

afterAll(async () => {
  await app?.kill();
  await rm?.kill();
  await store?.end().catch(() => undefined);
  await tc?.stop();
  await biz?.drop();
  box?.cleanup();
}, 60_000);

describe('a global transaction in flight (held open by the AT application)', () => {
  let xid: string;
  let branchId: string;
  let clientId: string;

  beforeAll(async () => {
    xid = (await app!.request(`begin ${HELD_TIMEOUT_MS} transfer 1 2 10`, 'HELD', JVM_BOUND_MS - 5000)).xid;
    const { rows } = await store.query('SELECT branch_id::text AS id, client_id FROM branch_table WHERE xid = $1', [xid]);
    expect(rows).toHaveLength(1);
    branchId = rows[0].id;
    clientId = rows[0].client_id;
  }, JVM_BOUND_MS);

  it('tx list shows it as Begin with its one branch, through the store and the console alike', () => {
    for (const profile of ['db', 'console']) {
      const row = ok<any[]>(profile, 'tx', 'list').find((t) => t.xid === xid);
      expect(row, profile).toMatchObject({
        status: 1, statusName: 'Begin', applicationId: APP, serviceGroup: GROUP, transactionName: 'transfer',
        timeoutMs: HELD_TIMEOUT_MS, branchCount: 1, flags: [], transactionId: xid.split(':')[2],
      });
      // Time in the status can never exceed the age (gmt_modified has whole seconds, begin_time ms).
      expect(row.inStatusMs, profile).toBeLessThanOrEqual(row.ageMs);
      expect(row.ageMs, profile).toBeLessThan(HELD_TIMEOUT_MS);
    }
  });

  it('tx show gives the AT branch and its two row locks, decoded', () => {
    for (const profile of ['db', 'console']) {
      const shown = ok(profile, 'tx', 'show', xid);
      expect(shown.global, profile).toMatchObject({ xid, statusName: 'Begin', branchCount: 1 });
      expect(shown.branches, profile).toEqual([
        expect.objectContaining({ branchId, xid, branchType: 'AT', resourceId: jdbcUrl, clientId, status: 0, statusName: 'Unknown' }),
      ]);
      expect(clientId).toMatch(new RegExp(`^${APP}:127\\.0\\.0\\.1:\\d+$`));
      const locks = [...shown.locks].sort((a: any, b: any) => a.pk.localeCompare(b.pk));
      expect(locks, profile).toEqual(
        ['1', '2'].map((pk) =>
          expect.objectContaining({ rowKey: `${jdbcUrl}^^^account^^^${pk}`, xid, branchId, resourceId: jdbcUrl, tableName: 'account', pk, pkValues: [pk] }),
        ),
      );
    }
    // lock_table.status is in the DB store only; the console's lock VO has none.
    const fromStore = ok('db', 'tx', 'show', xid);
    expect(fromStore.locks.map((l: any) => l.statusName)).toEqual(['Locked', 'Locked']);
    // A branch registered a moment ago is seconds old. The console sends its times as dates only
    // (midnight in the TC's zone, hours ago): opsdeck says so instead of showing a false age.
    expect(fromStore.branches[0].ageMs).toBeLessThan(HELD_TIMEOUT_MS);
    const viaConsole = run('console', 'tx', 'show', xid, '-o', 'json');
    expect(viaConsole.code).toBe(0);
    expect(viaConsole.json().branches[0]).toMatchObject({ createdAt: null, modifiedAt: null, ageMs: null });
    expect(viaConsole.stderr).toMatch(/branch times as dates only.*branch ages are shown as -/);
  });

  it('tx locks filters by table and XID, and locks list shows them as seata-global-lock entries', () => {
    for (const profile of ['db', 'console']) {
      expect(ok<any[]>(profile, 'tx', 'locks', '--table', 'account').map((l) => l.rowKey).sort(), profile).toEqual([`${jdbcUrl}^^^account^^^1`, `${jdbcUrl}^^^account^^^2`]);
      expect(ok<any[]>(profile, 'tx', 'locks', '--xid', xid), profile).toHaveLength(2);
      expect(ok<any[]>(profile, 'tx', 'locks', '--table', 'no_such_table'), profile).toEqual([]);
    }
    const views = ok<{ locks: any[] }>('locks', 'locks', 'list').locks;
    for (const backend of ['seata-store', 'seata-console']) {
      const mine = views.filter((v) => v.backend === backend).sort((a, b) => a.name.localeCompare(b.name));
      expect(mine, backend).toEqual(
        ['1', '2'].map((pk) => expect.objectContaining({ name: `${jdbcUrl}^^^account^^^${pk}`, kind: 'seata-global-lock', holder: xid, token: branchId })),
      );
    }
  });

  it('the application rolls it back: balances restored and the row locks released at once', async () => {
    expect(await balances()).toEqual({ 1: 90, 2: 110 });
    await app!.request(`rollback ${xid}`, 'ROLLED_BACK');
    expect(await balances()).toEqual({ 1: 100, 2: 100 });
    expect(ok<any[]>('db', 'tx', 'locks', '--xid', xid)).toEqual([]);
    // Seata 1.8's DB store may keep the global row in Rollbacking, without branches, until its
    // retry task removes it (about two minutes after the begin); it must not show stale branches.
    const r = run('db', 'tx', 'show', xid, '-o', 'json');
    if (r.code === 0) expect(r.json()).toMatchObject({ global: { statusName: 'Rollbacking' }, branches: [], locks: [] });
    else expect(r.stderr).toMatch(/no global transaction/);
  });
});

describe('a global transaction whose application died', () => {
  let xid: string;

  beforeAll(async () => {
    xid = (await app!.request(`begin ${SHORT_TIMEOUT_MS} doomed-transfer 1 2 5`, 'HELD')).xid;
    // A crash: no rollback, no goodbye to the TC.
    await app!.kill();
    app = null;
  }, JVM_BOUND_MS);

  it('is TimeoutRollbacking after its timeout, flagged timed-out, with its row locks still held', async () => {
    const row = await until('TimeoutRollbacking', () => ok<any[]>('db', 'tx', 'list', '--status', 'TimeoutRollbacking').find((t) => t.xid === xid));
    expect(row).toMatchObject({ status: 6, statusName: 'TimeoutRollbacking', transactionName: 'doomed-transfer', branchCount: 1, timeoutMs: SHORT_TIMEOUT_MS });
    expect(row.flags).toContain('timed-out');
    // The TC's timeout check runs only under its distributed_lock row: without that table (or its
    // rows) the TC starts, but every scheduled task fails to take its lock and nothing times out.
    expect(tc.output()).not.toMatch(/acquire lock failure/);
    const { rows: taskLocks } = await store.query('SELECT lock_key FROM distributed_lock ORDER BY lock_key');
    expect(taskLocks.map((r) => r.lock_key)).toEqual([...DISTRIBUTED_LOCK_KEYS].sort());
    expect(ok<any[]>('console', 'tx', 'list', '--status', 'TimeoutRollbacking').map((t) => t.xid)).toEqual([xid]);
    expect(ok<any[]>('db', 'tx', 'list', '--stuck').map((t) => t.xid)).toContain(xid);
    for (const profile of ['db', 'console']) {
      const locks = ok<any[]>(profile, 'tx', 'locks', '--xid', xid);
      expect(locks.map((l) => l.pk).sort(), profile).toEqual(['1', '2']);
    }
    // The money moved in phase one stays moved until the rollback is delivered.
    expect(await balances()).toEqual({ 1: 95, 2: 105 });
  }, 2 * TC_BOUND_MS);

  it('stays there while the TC retries the rollback every second; a short retryingThreshold flags it retrying', async () => {
    // The TC retries in TimeoutRollbacking itself (it never moves to TimeoutRollbackRetrying here).
    await until('a rollback retry', () => (/Failed to retry rollbacking|rm client is not connected/.test(tc.output()) ? true : undefined));
    const row = await until('1 s in TimeoutRollbacking', () => {
      const r = ok<any[]>('db-1s', 'tx', 'list').find((t) => t.xid === xid);
      return r && r.inStatusMs > 1000 ? r : undefined;
    });
    expect(row).toMatchObject({ statusName: 'TimeoutRollbacking' });
    expect(row.flags).toEqual(['timed-out', 'retrying']);
    expect(ok('db', 'tx', 'show', xid).locks).toHaveLength(2);
  }, 2 * TC_BOUND_MS);

  it('is rolled back and gone, locks and all, once an RM for the same resource reconnects', async () => {
    rm = startApp('rm');
    await rm.next('HELLO', JVM_BOUND_MS);
    await until('the rollback', () => (run('db', 'tx', 'show', xid).code === 1 ? true : undefined));
    const gone = run('db', 'tx', 'show', xid);
    expect(gone.stderr).toMatch(/no global transaction/);
    expect(run('console', 'tx', 'show', xid)).toMatchObject({ code: 1 });
    expect(ok<any[]>('db', 'tx', 'locks')).toEqual([]);
    expect(ok<any[]>('console', 'tx', 'locks')).toEqual([]);
    expect(ok<{ locks: any[] }>('locks', 'locks', 'list').locks.filter((v) => v.kind === 'seata-global-lock')).toEqual([]);
    expect(await balances()).toEqual({ 1: 100, 2: 100 });
    const { rows } = await store.query('SELECT (SELECT count(*) FROM branch_table WHERE xid = $1)::int AS b, (SELECT count(*) FROM lock_table WHERE xid = $1)::int AS l', [xid]);
    expect(rows[0]).toEqual({ b: 0, l: 0 });
  }, JVM_BOUND_MS + 2 * TC_BOUND_MS);
});

describe('the console API of the real TC', () => {
  it('a wrong password (HTTP 200 with code "401") is an unauthorized error, exit 3, one clear line', () => {
    const r = run('console-badpw', 'tx', 'list');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`opsdeck: ${tc.consoleUrl} rejected the login of console user ${CONSOLE_USER} (hint: check username and password in the profile)`]);
    expect(r.stderr).not.toContain('not-the-password');
  });

  describe('the token', () => {
    let proxy: RecordingProxy;
    beforeAll(async () => {
      proxy = await startRecordingProxy(tc.consoleUrl);
    });
    afterAll(() => proxy?.stop());

    const client = (now: () => number) =>
      new ConsoleHttp(parseSeataConsoleOptions({ url: proxy.url, username: CONSOLE_USER, password: CONSOLE_PASSWORD }, 'seata'), now);
    const QUERY = '/api/v1/console/globalSession/query';

    it('is the JWT the server issued, sent back as a Bearer token, and lives 30 minutes', async () => {
      proxy.log.length = 0;
      const env = await client(Date.now).get(QUERY, { pageNum: 1, pageSize: 1 });
      expect(env.code).toBe('200');
      expect(proxy.log.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual(['POST /api/v1/auth/login 200', `GET ${QUERY} 200`]);
      const issued = proxy.log[0]!.authorizationOut!;
      expect(issued).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(proxy.log[1]!.authorizationIn).toBe(issued);
      const exp = jwtExpiry(issued.slice('Bearer '.length))!;
      expect(exp - Date.now()).toBeGreaterThan(29 * 60_000);
      expect(exp - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    });

    it('is renewed before its exp claim, and the server takes the new one', async () => {
      let clock = Date.now();
      const http = client(() => clock);
      await http.get(QUERY, { pageNum: 1, pageSize: 1 });
      proxy.log.length = 0;
      await http.get(QUERY, { pageNum: 1, pageSize: 1 });
      expect(proxy.log.map((l) => l.method)).toEqual(['GET']);
      clock += 30 * 60_000 - 10_000;
      const env = await http.get(QUERY, { pageNum: 1, pageSize: 1 });
      expect(env.code).toBe('200');
      expect(proxy.log.map((l) => `${l.method} ${l.status}`)).toEqual(['GET 200', 'POST 200', 'GET 200']);
    });

    it("logs in again once when the server answers 401 (Spring's body), and the retry succeeds", async () => {
      const http = client(Date.now);
      await http.get(QUERY, { pageNum: 1, pageSize: 1 });
      proxy.log.length = 0;
      // The proxy strips the token from the next request, so the real server refuses it.
      proxy.stripAuthorization = 1;
      const env = await http.get(QUERY, { pageNum: 1, pageSize: 1 });
      expect(env.code).toBe('200');
      expect(proxy.log.map((l) => `${l.method} ${l.status}`)).toEqual(['GET 401', 'POST 200', 'GET 200']);
      expect(proxy.log[0]!.body).toMatch(/"status":401,"error":"Unauthorized"/);
    });
  });
});

interface RecordingProxy {
  url: string;
  log: Array<{ method: string; path: string; status: number; authorizationIn?: string; authorizationOut?: string; body: string }>;
  /** How many of the next requests lose their Authorization header on the way. */
  stripAuthorization: number;
  stop(): Promise<void>;
}

/**
 * Forwards to the real console and writes down each exchange, so a test can see when the adapter
 * logs in and what the server answered. It changes nothing unless told to strip a token.
 */
async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const t = new URL(target);
  const proxy: RecordingProxy = { url: '', log: [], stripAuthorization: 0, stop: () => new Promise((r) => server.close(() => r())) };
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers, host: t.host };
    if (proxy.stripAuthorization > 0) {
      proxy.stripAuthorization--;
      delete headers.authorization;
    }
    const out = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        const auth = up.headers.authorization;
        proxy.log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status: up.statusCode ?? 0, authorizationIn: headers.authorization, authorizationOut: typeof auth === 'string' ? auth : undefined, body: body.toString('utf8') });
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(body);
      });
    });
    out.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
