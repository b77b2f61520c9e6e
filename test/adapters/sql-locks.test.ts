import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/sql/index.js';
import { springLockKey } from '../../src/adapters/sql/uuid-v3.js';
import { OpsError } from '../../src/core/errors.js';
import { opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';
import { freePort } from '../servers/redis-server.js';
import { createMysqlDb, createPgDb, startPrivateMariadb, type PrivateMariadb, type TestDb } from '../servers/sql-db.js';

/**
 * Forensics of the SQL lock adapter against the real PostgreSQL and MariaDB: rows written
 * directly with SQL in each layout, server locks held by separate connections, force release
 * through the CLI binary. Each describe works in a database of its own.
 */
let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function profile(locks: string): void {
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), `profiles:\n  s:\n    locks: ${locks}\n`);
}
const cli = (...args: string[]) => opsdeck(box.env, ['--profile', 's', ...args]);
/** The locks of a `locks list`/`locks show` answer, by name. */
const byName = (listing: { locks: Array<{ name: string }> }) => Object.fromEntries(listing.locks.map((v) => [v.name, v])) as Record<string, any>;

/** The Europe/Berlin wall clock of an instant, as an app in Berlin would write it. */
const berlin = (ms: number) => new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace(',', '') + '.000';
const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const whole = (ms: number) => Math.floor(ms / 1000) * 1000;

describe('SQL lock tables on PostgreSQL', () => {
  let db: TestDb;
  let raw: pg.Client;
  beforeAll(async () => {
    db = await createPgDb();
    raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    await raw.query('CREATE TABLE shedlock(name VARCHAR(64) NOT NULL PRIMARY KEY, lock_until TIMESTAMP(3) NOT NULL, locked_at TIMESTAMP(3) NOT NULL, locked_by VARCHAR(255) NOT NULL)');
    await raw.query('CREATE TABLE INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL, PRIMARY KEY (LOCK_KEY, REGION))');
  });
  afterAll(async () => {
    await raw?.end();
    await db?.drop();
  });

  it('reads ShedLock rows in the app time zone; a passed lock_until is FREE with its last holder', async () => {
    const now = whole(Date.now());
    await raw.query('INSERT INTO shedlock VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)', [
      'report/nightly', berlin(now + 30 * 60_000), berlin(now - 60_000), 'batch-host-1',
      'report/weekly', berlin(now - 10 * 60_000), berlin(now - 20 * 60_000), 'batch-host-2',
    ]);
    profile(`[{type: postgres, url: "${db.url}", timeZone: Europe/Berlin, advisory: false}]`);
    const views = byName(cli('locks', 'list', '--prefix', 'report/').json());
    expect(Object.keys(views).sort()).toEqual(['report/nightly', 'report/weekly']);
    expect(views['report/nightly']).toMatchObject({
      backend: 'postgres',
      kind: 'shedlock',
      holder: 'batch-host-1',
      acquiredAt: new Date(now - 60_000).toISOString(),
      expiresAt: new Date(now + 30 * 60_000).toISOString(),
      waiters: null,
      reentrancy: null,
    });
    expect(views['report/nightly'].ttlMs).toBeGreaterThan(25 * 60_000);
    expect(views['report/weekly']).toMatchObject({ holder: null, expiresAt: null, token: null, details: { lastHolder: 'batch-host-2', lockUntil: new Date(now - 10 * 60_000).toISOString() } });
    // Read as UTC, the same Berlin wall clocks stand for instants an hour later: the lock that
    // expired ten minutes ago looks held for fifty more. The zone is what makes the answer right.
    profile(`[{type: postgres, url: "${db.url}", timeZone: UTC, advisory: false}]`);
    const wrong = byName(cli('locks', 'list', '--prefix', 'report/').json());
    expect(wrong['report/weekly'].holder).toBe('batch-host-2');
    expect(Date.parse(wrong['report/nightly'].expiresAt) - Date.parse(views['report/nightly'].expiresAt)).toBe(3_600_000);
  });

  it('finds the known tables without configuration and matches INT_LOCK keys to names given in the profile', async () => {
    const now = Date.now();
    // The LOCK_KEYs Java's UUID.nameUUIDFromBytes gives for these names (computed with jshell).
    const orders = 'a6c84534-5144-33fe-951f-5baaaa4bb2ce';
    const nightly = 'c094db08-6dd2-31b2-a64f-7bf170727400';
    expect(springLockKey('deploy/orders')).toBe(orders);
    expect(springLockKey('jobs/nightly-report')).toBe(nightly);
    await raw.query('INSERT INTO INT_LOCK VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)', [
      orders, 'DEFAULT', '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', utc(now - 2000), utc(now + 60_000),
      nightly, 'DEFAULT', '11111111-2222-3333-4444-555555555555', utc(now - 120_000), utc(now - 60_000),
    ]);
    profile(`[{type: postgres, url: "${db.url}", advisory: false}]`);
    const auto = byName(cli('locks', 'list').json());
    expect(auto[orders]).toMatchObject({ kind: 'int-lock', holder: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', details: { region: 'DEFAULT', lockKey: orders } });
    expect(auto[nightly]).toMatchObject({ holder: null, details: { lastHolder: '11111111-2222-3333-4444-555555555555' } });
    expect(Date.parse(auto[orders].expiresAt)).toBeGreaterThan(now + 50_000);
    // Asked by name, the key is hashed the way Spring does.
    expect(cli('locks', 'show', 'deploy/orders').json().locks[0]).toMatchObject({ name: 'deploy/orders', holder: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' });
    profile(`[{type: postgres, url: "${db.url}", advisory: false, tables: [{layout: int-lock, keys: [deploy/orders]}]}]`);
    const named = byName(cli('locks', 'list').json());
    expect(Object.keys(named).sort()).toEqual([nightly, 'deploy/orders'].sort());
    expect(named['deploy/orders'].details.lockKey).toBe(orders);
    await raw.query('DELETE FROM int_lock');
  });

  it('honours the registry ttl of the ≤6.5 layout: a lock expires ttl after CREATED_DATE', async () => {
    await raw.query('CREATE TABLE old_lock (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, PRIMARY KEY (LOCK_KEY, REGION))');
    const adapter = await connect({ url: db.url, advisory: false, tables: [{ layout: 'int-lock', table: 'old_lock', region: 'jobs', ttl: '1s' }] }, { dataDir: '/nonexistent', version: 't', name: 'pg', type: 'postgres' });
    try {
      const locks = adapter.locks!;
      const got = await locks.tryAcquire!('sweep', { owner: 'alice', ttlMs: 60_000, waitMs: 0 });
      // Whatever was asked, ≤6.5 keeps a lock for the registry's ttl.
      expect(Date.parse(got.expiresAt!) - Date.now()).toBeLessThanOrEqual(1000);
      const row = (await raw.query('SELECT region, client_id FROM old_lock WHERE lock_key = $1', [springLockKey('sweep')])).rows[0];
      expect(row).toMatchObject({ region: 'jobs' });
      expect(String(row.client_id).trim()).toBe('alice');
      const refused = await locks.tryAcquire!('sweep', { owner: 'bob', ttlMs: 1000, waitMs: 0 }).catch((e: unknown) => e);
      expect((refused as OpsError).kind).toBe('conflict');
      const bob = await locks.tryAcquire!('sweep', { owner: 'bob', ttlMs: 1000, waitMs: 5000 });
      expect(bob.holder).toBe('bob');
      expect(String((await raw.query('SELECT client_id FROM old_lock')).rows[0].client_id).trim()).toBe('bob');
    } finally {
      await adapter.dispose();
    }
  });

  it('maps a unique-key table from the profile and refuses names that are not identifiers', async () => {
    await raw.query('CREATE TABLE job_lock (job TEXT PRIMARY KEY, node TEXT NOT NULL, since TIMESTAMPTZ NOT NULL)');
    await raw.query(`INSERT INTO job_lock VALUES ('billing/close', 'node-7', '2026-01-02 03:04:05.678+00')`);
    profile(`[{type: postgres, url: "${db.url}", advisory: false, tables: [{layout: unique-key, table: job_lock, columns: {name: job, owner: node, acquiredAt: since}}]}]`);
    expect(cli('locks', 'show', 'billing/close').json().locks[0]).toMatchObject({ kind: 'unique-key', holder: 'node-7', acquiredAt: '2026-01-02T03:04:05.678Z', expiresAt: null });
    // Without an acquired-at shown, a force release must still match the owner.
    expect(cli('locks', 'release', 'billing/close', '--force', '--owner', 'node-8', '--yes').code).toBe(1);
    expect(cli('locks', 'release', 'billing/close', '--force', '--yes').json()).toMatchObject({ forced: true, previousHolder: 'node-7' });
    expect((await raw.query('SELECT count(*)::int AS n FROM job_lock')).rows[0].n).toBe(0);
    profile(`[{type: postgres, url: "${db.url}", tables: [{layout: unique-key, table: "job_lock; DROP TABLE shedlock", columns: {name: job, owner: node}}]}]`);
    const bad = cli('locks', 'list');
    expect(bad.code).toBe(2);
    // Refused when the profile file loads, at the offending value, before any SQL exists.
    expect(bad.stderr).toMatch(/config\.yaml:\d+:\d+: profile \w+: locks\[0\]: tables\[0\]\.table must be a table name \(optionally schema\.table\)/);
    expect((await raw.query(`SELECT to_regclass('shedlock') AS t`)).rows[0].t).toBe('shedlock');
  });

  it('force-releases a ShedLock row only while it has the holder and locked_at shown, as ShedLock unlocks (lock_until = now)', async () => {
    const now = whole(Date.now());
    await raw.query('INSERT INTO shedlock VALUES ($1, $2, $3, $4)', ['force/me', berlin(now + 600_000), berlin(now - 5000), 'host-a']);
    profile(`[{type: postgres, url: "${db.url}", timeZone: Europe/Berlin, advisory: false}]`);
    const shown = cli('locks', 'show', 'force/me').json().locks[0];
    expect(shown.token).toBeTruthy();
    expect(cli('locks', 'release', 'force/me', '--force', '--owner', 'host-b', '--yes').code).toBe(1);
    expect(cli('locks', 'release', 'force/me', '--force', '--yes').json()).toMatchObject({ forced: true, previousHolder: 'host-a' });
    const row = (await raw.query(`SELECT locked_by, lock_until <= (now() AT TIME ZONE 'Europe/Berlin') AS free FROM shedlock WHERE name = 'force/me'`)).rows[0];
    expect(row).toEqual({ locked_by: 'host-a', free: true });
  });
});

describe('PostgreSQL advisory locks', () => {
  let db: TestDb;
  let holder: pg.Client;
  let waiter: pg.Client;
  let waiting: Promise<unknown>;
  beforeAll(async () => {
    db = await createPgDb();
    holder = new pg.Client({ connectionString: db.url, application_name: 'billing-worker' });
    waiter = new pg.Client({ connectionString: db.url, application_name: 'billing-standby' });
    holder.on('error', () => undefined);
    await Promise.all([holder.connect(), waiter.connect()]);
    await holder.query('SELECT pg_advisory_lock(42), pg_advisory_lock(-7), pg_advisory_lock(1, 2)');
    waiting = waiter.query('SELECT pg_advisory_lock(42)');
  });
  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await waiter?.end().catch(() => undefined);
    await db?.drop();
  });

  it('shows both key forms with the holder session and the waiter', async () => {
    const holderPid = (await holder.query('SELECT pg_backend_pid() AS p')).rows[0].p as number;
    profile(`[{type: postgres, url: "${db.url}"}]`);
    let views: Record<string, any> = {};
    for (let i = 0; i < 50; i++) {
      views = byName(cli('locks', 'list', '--prefix', 'pg-advisory:').json());
      if (views['pg-advisory:42']?.waiters?.length === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Object.keys(views).sort()).toEqual(['pg-advisory:-7', 'pg-advisory:1,2', 'pg-advisory:42']);
    const v = views['pg-advisory:42'];
    expect(v).toMatchObject({ kind: 'pg-advisory', holder: `pid ${holderPid} billing-worker@127.0.0.1`, token: holderPid, details: { keyForm: 'bigint', application: 'billing-worker', clientAddr: '127.0.0.1' } });
    expect(v.waiters).toHaveLength(1);
    expect(v.waiters[0].owner).toMatch(/^pid \d+ billing-standby@127\.0\.0\.1$/);
    expect(Date.parse(v.waiters[0].since)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(v.details.backendStart)).toBeLessThanOrEqual(Date.now());
    expect(views['pg-advisory:1,2'].details.keyForm).toBe('two int4');
    expect(views['pg-advisory:-7'].holder).toBe(`pid ${holderPid} billing-worker@127.0.0.1`);
  });

  it('refuses to acquire a server lock, and force release needs the typed name or --yes', async () => {
    profile(`[{type: postgres, url: "${db.url}"}]`);
    const acquire = cli('locks', 'acquire', 'pg-advisory:42');
    expect(acquire.code).toBe(1);
    expect(acquire.stderr.trim()).toBe('opsdeck: opsdeck cannot acquire pg-advisory:42: a server lock belongs to the database session that took it, and only that session can acquire it (hint: inspect it with "opsdeck locks show pg-advisory:42"; "locks release --force" ends the holder\'s session)');
    // No terminal and no --yes: nobody can type the name, so nothing happens.
    const refused = cli('locks', 'release', 'pg-advisory:42', '--force');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs confirmation/);
    expect((await holder.query('SELECT 1 AS ok')).rows[0].ok).toBe(1);
    // The refused acquire is on record as an attempt; the refused release, never started, is not.
    const log = join(box.env.XDG_STATE_HOME!, 'opsdeck', 'audit.log');
    const entries = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
    expect(entries.map((e) => e.command)).toEqual(['locks acquire']);
  });

  it('force release with --yes terminates the holder session, the waiter gets the lock, and the audit log records it', async () => {
    profile(`[{type: postgres, url: "${db.url}"}]`);
    const audit = join(box.dir, 'audit.log');
    const shown = cli('locks', 'show', 'pg-advisory:42').json().locks[0];
    const r = opsdeck({ ...box.env, OPSDECK_AUDIT_LOG: audit }, ['--profile', 's', 'locks', 'release', 'pg-advisory:42', '--force', '--yes']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ forced: true, previousHolder: shown.holder });
    await waiting;
    const after = cli('locks', 'show', 'pg-advisory:42').json().locks[0];
    expect(after.holder).toMatch(/^pid \d+ billing-standby@127\.0\.0\.1$/);
    // The holder's whole session is gone: its other locks too.
    expect(cli('locks', 'list', '--prefix', 'pg-advisory:-7').json().locks).toEqual([]);
    await expect(holder.query('SELECT 1')).rejects.toThrow();
    const entry = JSON.parse(readFileSync(audit, 'utf8').trim().split('\n').pop()!);
    expect(entry).toMatchObject({ command: 'locks release', profile: 's', exitCode: 0, forced: true, previousHolder: shown.holder });
  });
});

describe('MariaDB lock tables and GET_LOCK on the shared server (performance_schema off)', () => {
  let db: TestDb;
  let raw: mysql.Connection;
  let holder: mysql.Connection;
  beforeAll(async () => {
    db = await createMysqlDb();
    raw = await mysql.createConnection({ uri: db.url, dateStrings: true });
    holder = await mysql.createConnection({ uri: db.url });
    await raw.query('CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP(3) NOT NULL, locked_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))');
  });
  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await raw?.end();
    await db?.drop();
  });

  it('reads ShedLock rows written in Europe/Berlin wall clock into TIMESTAMP columns', async () => {
    const now = whole(Date.now());
    await raw.query('INSERT INTO shedlock VALUES (?, ?, ?, ?), (?, ?, ?, ?)', ['etl/a', berlin(now + 120_000), berlin(now - 3000), 'etl-1', 'etl/b', berlin(now - 1000), berlin(now - 4000), 'etl-2']);
    profile(`[{type: mysql, url: "${db.url}", timeZone: Europe/Berlin}]`);
    const views = byName(cli('locks', 'list', '--prefix', 'etl/').json());
    expect(views['etl/a']).toMatchObject({ backend: 'mysql', kind: 'shedlock', holder: 'etl-1', acquiredAt: new Date(now - 3000).toISOString(), expiresAt: new Date(now + 120_000).toISOString() });
    expect(views['etl/b']).toMatchObject({ holder: null, details: { lastHolder: 'etl-2' } });
  });

  it('says GET_LOCK cannot be listed and which setting fixes it, and still names a holder asked for by name', async () => {
    const [[{ id }]] = (await holder.query(`SELECT CONNECTION_ID() AS id, GET_LOCK('orders-sync', 10) AS g`)) as any;
    profile(`[{type: mysql, url: "${db.url}"}]`);
    const list = cli('locks', 'list');
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/performance_schema is OFF/);
    expect(list.stderr).toMatch(/performance_schema=ON/);
    expect(list.json()).toMatchObject({ complete: false, stoppedBy: 'misconfigured', backends: [{ complete: false, stoppedBy: 'misconfigured', error: null }] });
    const shown = cli('locks', 'show', 'get-lock:orders-sync').json().locks[0];
    expect(shown).toMatchObject({ kind: 'get-lock', holder: `conn ${id}`, token: Number(id), waiters: null });
    expect(shown.details.note).toMatch(/performance_schema/);
    expect(cli('locks', 'show', 'get-lock:nobody-has-this').code).not.toBe(0);
  });
});

describe('GET_LOCK holders and waiters on a private mariadbd with performance_schema on', () => {
  let server: PrivateMariadb | null = null;
  let db: TestDb;
  let url: string;
  let holder: mysql.Connection;
  let waiter: mysql.Connection;
  let waiting: Promise<unknown>;
  beforeAll(async () => {
    server = await startPrivateMariadb();
    db = await createMysqlDb('127.0.0.1', server.port, 'root');
    url = db.url;
    holder = await mysql.createConnection({ uri: url });
    waiter = await mysql.createConnection({ uri: url });
    holder.on('error', () => undefined);
    await holder.query(`SELECT GET_LOCK('deploy-gate', 30)`);
    waiting = waiter.query(`SELECT GET_LOCK('deploy-gate', 30) AS g`);
  }, 60_000);
  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await waiter?.end().catch(() => undefined);
    await db?.drop().catch(() => undefined);
    await server?.stop();
  });

  it('shows the holder connection and the waiter, and a forced KILL hands the lock to the waiter', async () => {
    const [[{ id }]] = (await holder.query('SELECT CONNECTION_ID() AS id')) as any;
    profile(`[{type: mysql, url: "${url}"}]`);
    let v: any;
    for (let i = 0; i < 50; i++) {
      v = cli('locks', 'show', 'get-lock:deploy-gate').json().locks[0];
      if (v?.waiters?.length === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(v).toMatchObject({ kind: 'get-lock', holder: `conn ${id} root@localhost`, token: Number(id), details: { connectionId: Number(id) } });
    expect(v.waiters).toHaveLength(1);
    expect(v.waiters[0].owner).toMatch(/^conn \d+ root@localhost$/);
    expect(cli('locks', 'release', 'get-lock:deploy-gate', '--force').code).toBe(2);
    const r = cli('locks', 'release', 'get-lock:deploy-gate', '--force', '--yes');
    expect(r.json()).toMatchObject({ forced: true, previousHolder: v.holder });
    const [[{ g }]] = (await waiting) as any;
    expect(Number(g)).toBe(1);
    expect(cli('locks', 'show', 'get-lock:deploy-gate').json().locks[0].holder).toBe(v.waiters[0].owner);
  }, 60_000);
});

describe('unreachable databases', () => {
  it('exits 3 with a clear message, promptly, for PostgreSQL and MySQL', async () => {
    const port = await freePort();
    const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'config.yaml'),
      `profiles:\n  p:\n    locks: [{type: postgres, url: "postgres://postgres:secret@127.0.0.1:${port}/none"}]\n  m:\n    locks: [{type: mysql, url: "mysql://root:secret@127.0.0.1:${port}/none"}]\n`,
    );
    // A process kept alive by an open pool would never close and run into the test's time limit.
    const [a, b] = await Promise.all([opsdeckAsync(box.env, ['--profile', 'p', 'locks', 'list']), opsdeckAsync(box.env, ['--profile', 'm', 'locks', 'show', 'x'])]);
    for (const r of [a, b]) {
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/is unreachable: .*ECONNREFUSED/);
      expect(r.stderr).toMatch(/check that the server is up/);
      expect(r.stderr).not.toMatch(/secret/);
    }
  }, 30_000);
});
