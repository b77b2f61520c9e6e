import { mkdirSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as connectSeataDb } from '../../src/adapters/seata-db/index.js';
import { parseSeataDbOptions } from '../../src/adapters/seata-db/options.js';
import { exitCodeOf, OpsError } from '../../src/core/errors.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { createSeataDb, minimalDdl, seataDdl, type Dialect, type SeataDb } from '../servers/seata-schema.js';

/**
 * The Seata DB store against real PostgreSQL and real MariaDB: the server schema, transactions in
 * every status of both versions, branches of each type, row locks (composite keys too), NULL
 * columns, unknown codes and a schema without the optional columns, all read through the CLI.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const GLOBAL_NAMES = [
  'UnKnown', 'Begin', 'Committing', 'CommitRetrying', 'Rollbacking', 'RollbackRetrying', 'TimeoutRollbacking', 'TimeoutRollbackRetrying',
  'AsyncCommitting', 'Committed', 'CommitFailed', 'Rollbacked', 'RollbackFailed', 'TimeoutRollbacked', 'TimeoutRollbackFailed', 'Finished',
  'CommitRetryTimeout', 'RollbackRetryTimeout',
];
const RES_ORDERS = 'jdbc:mysql://orders-db:3306/orders';
const RES_STOCK = 'jdbc:postgresql://stock-db:5432/stock';
const xidOf = (n: number) => `10.0.0.1:8091:${n}`;
/** The CommitRetrying transaction that holds the branches and locks. */
const HOLDER = xidOf(1003);

async function fill(db: SeataDb, now: number): Promise<void> {
  for (const sql of [...seataDdl(db.dialect), ...minimalDdl(db.dialect)]) await db.exec(sql);
  const g = (xid: string, status: number, o: { app?: string | null; name?: string | null; timeout?: number | null; began?: number | null; modified?: number | null; group?: string | null } = {}) =>
    db.exec(
      'INSERT INTO global_table (xid, transaction_id, status, application_id, transaction_service_group, transaction_name, timeout, begin_time, application_data, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        xid,
        o.began === null ? null : xid.split(':')[2],
        status,
        o.app === undefined ? 'order-svc' : o.app,
        o.group === undefined ? 'default_tx_group' : o.group,
        o.name === undefined ? `place-order-${status}` : o.name,
        o.timeout === undefined ? HOUR : o.timeout,
        o.began === undefined ? now - 20 * MIN : o.began,
        o.began === null ? null : '{"secret":"app payload"}',
        o.began === null ? null : new Date(o.began ?? now - 20 * MIN),
        o.modified === null ? null : new Date(o.modified ?? now - 10 * MIN),
      ],
    );
  // Every GlobalStatus code of 1.x and 2.x: began 20 min ago, timeout 1 h, last change 10 min ago.
  for (let code = 0; code < GLOBAL_NAMES.length; code++) await g(xidOf(1000 + code), code, { app: code % 2 === 0 ? 'order-svc' : 'stock-svc' });
  await g(xidOf(3001), 1, { began: now - 10 * MIN, timeout: MIN, modified: now - 10 * MIN }); // outlived its 1 min timeout
  await g(xidOf(3002), 3, { began: now - 2 * MIN, modified: now - MIN }); // retrying, but only for a minute
  await g(xidOf(3003), 18, {}); // a code from a newer server (Deleting on a feature branch)
  await g(xidOf(3004), 99, {});
  await g(xidOf(3005), 1, { app: null, name: null, timeout: null, began: null, modified: null, group: null });

  const b = (id: number, xid: string, type: string | null, status: number | null, resource: string | null) =>
    db.exec(
      'INSERT INTO branch_table (branch_id, xid, transaction_id, resource_group_id, resource_id, branch_type, status, client_id, application_data, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, xid, type === null ? null : '1003', type === null ? null : 'rg', resource, type, status, type === null ? null : 'order-svc:10.0.0.7:51234', null, type === null ? null : new Date(now - 19 * MIN), null],
    );
  await b(90001, HOLDER, 'AT', 6, RES_ORDERS);
  await b(90002, HOLDER, 'TCC', 5, 'tcc-payment');
  await b(90003, HOLDER, 'SAGA', 13, 'saga-shipping');
  await b(90004, HOLDER, 'XA', 12, RES_STOCK);
  await b(90005, HOLDER, null, null, null);
  await b(90006, xidOf(1005), 'AT', 99, RES_STOCK);

  const l = (rowKey: string, xid: string | null, branch: number, status: number, table: string | null, pk: string | null) =>
    db.exec(
      'INSERT INTO lock_table (row_key, xid, transaction_id, branch_id, resource_id, table_name, pk, status, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [rowKey, xid, xid ? xid.split(':')[2] : null, branch, xid ? (rowKey.includes('^^^') ? rowKey.split('^^^')[0] : RES_STOCK) : null, table, pk, status, xid ? new Date(now - 19 * MIN) : null, null],
    );
  await l(`${RES_ORDERS}^^^t_order^^^1001`, HOLDER, 90001, 0, 't_order', '1001');
  await l(`${RES_ORDERS}^^^t_order_item^^^1001_7`, HOLDER, 90001, 0, 't_order_item', '1001_7');
  await l(`${RES_STOCK}^^^t_stock^^^sku-42`, xidOf(1005), 90006, 1, 't_stock', 'sku-42');
  await l(`${RES_STOCK}^^^t_stock^^^sku-43`, null, 90007, 0, null, null);
  await l('not-a-row-key', xidOf(1005), 90006, 0, 't_legacy', '5');

  // The minimal (pre-1.5, no optional columns) store.
  await db.exec('INSERT INTO old_global (xid, status, application_id, transaction_name, timeout, begin_time) VALUES (?, ?, ?, ?, ?, ?)', [xidOf(5001), 3, 'legacy-svc', 'old-tx', HOUR, now - 20 * MIN]);
  await db.exec('INSERT INTO old_global (xid, status, application_id, transaction_name, timeout, begin_time) VALUES (?, ?, ?, ?, ?, ?)', [xidOf(5002), 1, null, null, null, null]);
  await db.exec('INSERT INTO old_branch (branch_id, xid, resource_id, branch_type, status) VALUES (?, ?, ?, ?, ?)', [95001, xidOf(5001), RES_ORDERS, 'AT', 13]);
  await db.exec('INSERT INTO old_lock (row_key, xid, branch_id) VALUES (?, ?, ?)', [`${RES_ORDERS}^^^t_old^^^a_b_c`, xidOf(5001), 95001]);
}

describe.each<Dialect>(['pg', 'mysql'])('Seata DB store on %s', (dialect) => {
  let db: SeataDb;
  let box: ReturnType<typeof sandbox>;
  const run = (profile: string, ...args: string[]) => opsdeck(box.env, ['--profile', profile, ...args]);
  /** Text output: off a terminal opsdeck defaults to JSON, so tables are asked for. */
  const table = (profile: string, ...args: string[]) => run(profile, ...args, '-o', 'table');
  const json = (profile: string, ...args: string[]) => {
    const r = run(profile, ...args, '-o', 'json');
    expect(r.stderr.replace(/^opsdeck: warning: .*\n/gm, '')).toBe('');
    expect(r.code).toBe(0);
    return r.json();
  };

  beforeAll(async () => {
    db = await createSeataDb(dialect);
    await fill(db, Date.now());
    box = sandbox();
    const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
    mkdirSync(dir, { recursive: true });
    const url = JSON.stringify(db.url);
    writeFileSync(
      join(dir, 'config.yaml'),
      [
        'profiles:',
        `  v2: {tx: {type: seata-db, url: ${url}, version: "2"}}`,
        `  v1: {tx: {type: seata-db, url: ${url}, version: "1.8.0", retryingThreshold: 15m}}`,
        `  old: {tx: {type: seata-db, url: ${url}, tables: {global: old_global, branch: old_branch, lock: old_lock}}}`,
        `  withlocks: {locks: [{type: embedded}, {type: seata-db, name: seata, url: ${url}}]}`,
        `  missing: {tx: {type: seata-db, url: ${url}, tables: {global: no_such_table}}}`,
        `  down: {tx: {type: seata-db, url: "${dialect === 'pg' ? 'postgres' : 'mysql'}://u:hunter2@127.0.0.1:1/seata", timeoutMs: 3000}}`,
      ].join('\n') + '\n',
    );
  }, 60_000);
  afterAll(async () => {
    box?.cleanup();
    await db?.drop();
  });

  it('tx list names every status code of 2.x, keeps unknown codes as numbers, and counts branches', () => {
    const rows = json('v2', 'tx', 'list');
    const byXid = new Map<string, any>(rows.map((r: { xid: string }) => [r.xid, r]));
    expect(rows).toHaveLength(GLOBAL_NAMES.length + 5);
    for (let code = 0; code < GLOBAL_NAMES.length; code++) {
      expect(byXid.get(xidOf(1000 + code))).toMatchObject({ status: code, statusName: GLOBAL_NAMES[code], applicationId: code % 2 === 0 ? 'order-svc' : 'stock-svc', transactionName: `place-order-${code}`, timeoutMs: HOUR });
    }
    expect(byXid.get(xidOf(3003))).toMatchObject({ status: 18, statusName: null });
    expect(byXid.get(xidOf(3004))).toMatchObject({ status: 99, statusName: null, flags: [] });
    expect(byXid.get(HOLDER)).toMatchObject({ branchCount: 5, transactionId: '1003', serviceGroup: 'default_tx_group' });
    expect(byXid.get(xidOf(1005))).toMatchObject({ branchCount: 1 });
    expect(byXid.get(xidOf(1000))).toMatchObject({ branchCount: 0 });
    // NULL columns are null, not zero or "null".
    expect(byXid.get(xidOf(3005))).toEqual({
      xid: xidOf(3005), transactionId: null, status: 1, statusName: 'Begin', applicationId: null, serviceGroup: null, transactionName: null,
      timeoutMs: null, beganAt: null, createdAt: null, modifiedAt: null, branchCount: 0, ageMs: null, inStatusMs: null, flags: [],
    });
    const began = Date.parse(byXid.get(xidOf(1001)).beganAt);
    expect(Math.abs(Date.now() - 20 * MIN - began)).toBeLessThan(MIN);
  });

  it('flags timed-out, retrying past the threshold and failed transactions, and lists them first', () => {
    const rows = json('v2', 'tx', 'list');
    const flagsOf = (x: string) => rows.find((r: { xid: string }) => r.xid === x).flags;
    expect(flagsOf(xidOf(3001))).toEqual(['timed-out']);
    // Every status the TC's retry tasks drive, Committing/Rollbacking/TimeoutRollbacking included.
    for (const code of [2, 3, 4, 5, 6, 7, 8]) expect(flagsOf(xidOf(1000 + code))).toEqual(['retrying']);
    for (const code of [10, 12, 14, 16, 17]) expect(flagsOf(xidOf(1000 + code))).toEqual(['failed']);
    for (const code of [0, 1, 9, 11, 13, 15]) expect(flagsOf(xidOf(1000 + code))).toEqual([]);
    expect(flagsOf(xidOf(3002))).toEqual([]);
    const firstUnflagged = rows.findIndex((r: { flags: string[] }) => r.flags.length === 0);
    expect(firstUnflagged).toBe(13);
    expect(rows.slice(firstUnflagged).every((r: { flags: string[] }) => r.flags.length === 0)).toBe(true);
    // A 15 min threshold (profile v1) no longer flags the 10-minute retries.
    const v1 = json('v1', 'tx', 'list');
    expect(v1.find((r: { xid: string }) => r.xid === HOLDER).flags).toEqual([]);
  });

  it('tx list as text: names, numbers for unknown codes, "-" for NULL, flags', () => {
    const r = table('v2', 'tx', 'list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^XID\s+STATUS\s+APP\s+NAME\s+AGE\s+IN STATUS\s+TIMEOUT\s+BRANCHES\s+FLAGS$/);
    const line = (x: string) => lines.find((l) => l.startsWith(`${x} `))!;
    expect(line(HOLDER)).toMatch(/^10\.0\.0\.1:8091:1003\s+CommitRetrying\s+stock-svc\s+place-order-3\s+20m\d\ds\s+10m\d\ds\s+1h00m\s+5\s+retrying$/);
    expect(line(xidOf(3004))).toMatch(/^\S+\s+99\s+order-svc\s+place-order-99\s/);
    expect(line(xidOf(3005))).toMatch(/^\S+\s+Begin\s+-\s+-\s+-\s+-\s+-\s+0$/);
    expect(line(xidOf(3001))).toMatch(/timed-out$/);
    expect(line(xidOf(1010))).toMatch(/failed$/);
  });

  it('filters by status names or codes, application, age and limit', () => {
    const xids = (...args: string[]) => json('v2', 'tx', 'list', ...args).map((r: { xid: string }) => r.xid).sort();
    expect(xids('--status', 'CommitRetrying')).toEqual([HOLDER, xidOf(3002)].sort());
    expect(xids('--status', 'rollbackretrying,99')).toEqual([xidOf(1005), xidOf(3004)].sort());
    expect(xids('--app', 'stock-svc', '--status', 'Begin,CommitRetrying')).toEqual([xidOf(1001), HOLDER].sort());
    expect(xids('--older-than', '5m', '--status', '1,3')).toEqual([xidOf(1001), HOLDER, xidOf(3001)].sort());
    expect(xids('--stuck', '--status', 'Begin,CommitRetrying')).toEqual([HOLDER, xidOf(3001)].sort());
    const limited = run('v2', 'tx', 'list', '--limit', '3', '-o', 'json');
    expect(limited.code).toBe(0);
    expect(limited.json()).toHaveLength(3);
    expect(limited.stderr).toMatch(/warning: .*listing incomplete, more than 3 global transactions match/);
    const bad = run('v2', 'tx', 'list', '--status', 'Stuckish');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown Seata 2\.x global status "Stuckish" \(hint: use a code or one of: UnKnown, Begin/);
  });

  it('tx show: branches of each type with status names, and the decoded row locks held', () => {
    const d = json('v2', 'tx', 'show', HOLDER);
    expect(d.global).toMatchObject({ xid: HOLDER, statusName: 'CommitRetrying', branchCount: 5, flags: ['retrying'] });
    expect(d.branches.map((b: any) => [b.branchId, b.branchType, b.status, b.statusName, b.resourceId])).toEqual([
      ['90001', 'AT', 6, 'PhaseTwo_CommitFailed_Retryable', RES_ORDERS],
      ['90002', 'TCC', 5, 'PhaseTwo_Committed', 'tcc-payment'],
      ['90003', 'SAGA', 13, 'PhaseOne_RDONLY', 'saga-shipping'],
      ['90004', 'XA', 12, 'PhaseTwo_RollbackFailed_XAER_NOTA_Retryable', RES_STOCK],
      ['90005', null, null, null, null],
    ]);
    expect(d.branches[0].ageMs).toBeGreaterThanOrEqual(19 * MIN - MIN);
    expect(d.branches[4]).toMatchObject({ ageMs: null, clientId: null, createdAt: null });
    expect(d.locks).toEqual([
      expect.objectContaining({ rowKey: `${RES_ORDERS}^^^t_order^^^1001`, xid: HOLDER, branchId: '90001', resourceId: RES_ORDERS, tableName: 't_order', pk: '1001', pkValues: ['1001'], status: 0, statusName: 'Locked' }),
      expect.objectContaining({ tableName: 't_order_item', pk: '1001_7', pkValues: ['1001', '7'] }),
    ]);
    // Seata 1.x has no branch status 13: the number, never a wrong name.
    const v1 = json('v1', 'tx', 'show', HOLDER);
    expect(v1.branches[2]).toMatchObject({ status: 13, statusName: null });
    expect(v1.branches[3]).toMatchObject({ statusName: 'PhaseTwo_RollbackFailed_XAER_NOTA_Retryable' });
  });

  it('tx show as text, and a missing xid is a clear not-found', () => {
    const r = table('v2', 'tx', 'show', HOLDER);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^10\.0\.0\.1:8091:1003\nstatus\s+CommitRetrying \(3\)\n/);
    expect(r.stdout).toMatch(/^flags\s+retrying$/m);
    expect(r.stdout).toMatch(/^branches \(5\)\nBRANCH\s+TYPE\s+STATUS\s+RESOURCE\s+AGE\s+CLIENT\n90001\s+AT\s+PhaseTwo_CommitFailed_Retryable\s+jdbc:mysql:\/\/orders-db:3306\/orders\s+19m\d\ds\s+order-svc:10\.0\.0\.7:51234$/m);
    expect(r.stdout).toMatch(/^90005\s+-\s+-\s+-\s+-\s+-$/m);
    expect(r.stdout).toMatch(/^global row locks held \(2\)\nTABLE\s+PK\s+BRANCH\s+RESOURCE\s+STATUS\s+AGE\nt_order\s+1001\s+90001\s+jdbc:mysql:\/\/orders-db:3306\/orders\s+Locked\s+19m\d\ds$/m);
    const v1 = table('v1', 'tx', 'show', HOLDER);
    expect(v1.stdout).toMatch(/^90003\s+SAGA\s+13\s+saga-shipping/m);
    const unknown = table('v2', 'tx', 'show', xidOf(3004));
    expect(unknown.stdout).toMatch(/^status\s+99 \(unknown code for this Seata version\)$/m);
    const none = table('v2', 'tx', 'show', '10.9.9.9:8091:1');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('opsdeck: no global transaction 10.9.9.9:8091:1 in seata-db (hint: it may have finished; "opsdeck tx list" shows the ones the store holds)\n');
  });

  it('tx locks decodes row keys, filters by table and xid, and survives NULLs and undecodable keys', () => {
    const all = json('v2', 'tx', 'locks');
    expect(all).toHaveLength(5);
    const stock = all.find((l: any) => l.pk === 'sku-42');
    expect(stock).toMatchObject({ resourceId: RES_STOCK, tableName: 't_stock', xid: xidOf(1005), status: 1, statusName: 'Rollbacking' });
    expect(all.find((l: any) => l.pk === 'sku-43')).toMatchObject({ xid: null, resourceId: RES_STOCK, tableName: 't_stock', createdAt: null, ageMs: null });
    // A key without separators falls back to the table_name and pk columns.
    expect(all.find((l: any) => l.rowKey === 'not-a-row-key')).toMatchObject({ tableName: 't_legacy', pk: '5', resourceId: RES_STOCK });
    // "_" in the filter is literal: t_order does not match t_order_item.
    expect(json('v2', 'tx', 'locks', '--table', 't_order').map((l: any) => l.pk)).toEqual(['1001']);
    expect(json('v2', 'tx', 'locks', '--table', 't%').map((l: any) => l.pk)).toEqual([]);
    expect(json('v2', 'tx', 'locks', '--xid', xidOf(1005)).map((l: any) => l.tableName).sort()).toEqual(['t_legacy', 't_stock']);
    const text = table('v2', 'tx', 'locks', '--table', 't_order_item');
    expect(text.stdout).toMatch(/^TABLE\s+PK\s+XID\s+BRANCH\s+RESOURCE\s+STATUS\s+AGE\nt_order_item\s+1001_7\s+10\.0\.0\.1:8091:1003\s+90001\s+jdbc:mysql:\/\/orders-db:3306\/orders\s+Locked\s+19m\d\ds\n$/);
    const nulls = table('v2', 'tx', 'locks', '--table', 't_stock');
    expect(nulls.stdout).toMatch(/^t_stock\s+sku-43\s+-\s+90007\s+jdbc:postgresql:\/\/stock-db:5432\/stock\s+Locked\s+-$/m);
  });

  it('locks list and locks show include the global row locks as seata-global-lock, held by the XID', () => {
    const rows = json('withlocks', 'locks', 'list').locks;
    const seata = rows.filter((r: any) => r.backend === 'seata');
    expect(seata).toHaveLength(5);
    expect(seata.find((r: any) => r.name === `${RES_ORDERS}^^^t_order_item^^^1001_7`)).toMatchObject({
      kind: 'seata-global-lock', holder: HOLDER, token: '90001', expiresAt: null, waiters: null,
      details: { resourceId: RES_ORDERS, tableName: 't_order_item', pk: '1001_7', status: 'Locked' },
    });
    expect(json('withlocks', 'locks', 'list', '--prefix', `${RES_STOCK}^^^`).locks.map((r: any) => r.holder).sort()).toEqual([xidOf(1005), null].sort());
    const text = table('withlocks', 'locks', 'list');
    expect(text.stdout).toMatch(/^seata\s+jdbc:mysql:\/\/orders-db:3306\/orders\^\^\^t_order\^\^\^1001\s+seata-global-lock\s+10\.0\.0\.1:8091:1003\s+90001\s+-\s+19m\d\ds\s+-\s+\?$/m);
    const shown = json('withlocks', 'locks', 'show', `${RES_ORDERS}^^^t_order^^^1001`);
    expect(shown.locks).toEqual([expect.objectContaining({ backend: 'seata', holder: HOLDER })]);
    // Read-only: no release through opsdeck.
    const release = run('withlocks', 'locks', 'release', `${RES_ORDERS}^^^t_order^^^1001`, '--force', '--yes');
    expect(release.code).not.toBe(0);
    expect(json('withlocks', 'locks', 'show', `${RES_ORDERS}^^^t_order^^^1001`).locks).toHaveLength(1);
  });

  it('a schema without the optional columns degrades to "-" with a warning, never a crash', () => {
    const r = run('old', 'tx', 'list', '-o', 'json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: seata-db: old_global has no transaction_id, transaction_service_group, gmt_create, gmt_modified columns; shown as -/);
    const rows = r.json();
    expect(rows.map((x: any) => x.xid)).toEqual([xidOf(5001), xidOf(5002)]);
    // No gmt_modified: time in status is bounded by the age (20 min), past the 5 min threshold.
    expect(rows[0]).toMatchObject({ statusName: 'CommitRetrying', serviceGroup: null, modifiedAt: null, branchCount: 1, flags: ['retrying'] });
    expect(rows[1]).toMatchObject({ statusName: 'Begin', applicationId: null, beganAt: null, flags: [] });
    const show = table('old', 'tx', 'show', xidOf(5001));
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^95001\s+AT\s+PhaseOne_RDONLY\s+jdbc:mysql:\/\/orders-db:3306\/orders\s+-\s+-$/m);
    expect(show.stdout).toMatch(/^t_old\s+a_b_c\s+95001\s+jdbc:mysql:\/\/orders-db:3306\/orders\s+-\s+-$/m);
    const locks = run('old', 'tx', 'locks', '-o', 'json');
    expect(locks.stderr).toMatch(/old_lock has no transaction_id, resource_id, table_name, pk, status, gmt_create, gmt_modified columns/);
    expect(locks.json()).toEqual([expect.objectContaining({ tableName: 't_old', pk: 'a_b_c', pkValues: ['a', 'b', 'c'], status: null, statusName: null })]);
  });

  it("reads gmt_* wall clocks in the database session's zone, not opsdeck's own", async () => {
    // Seata writes gmt_modified with the database's now(); opsdeck here runs 14 h east of it.
    const xid = xidOf(7001);
    const ago = dialect === 'pg' ? "now() - interval '10 minutes'" : 'NOW() - INTERVAL 10 MINUTE';
    await db.exec(`INSERT INTO global_table (xid, status, timeout, begin_time, gmt_create, gmt_modified) VALUES (?, 3, ?, ?, ${ago}, ${ago})`, [xid, HOUR, Date.now() - 10 * MIN]);
    try {
      const r = opsdeck({ ...box.env, TZ: 'Pacific/Kiritimati' }, ['--profile', 'v2', 'tx', 'list', '--status', '3', '-o', 'json']);
      expect(r.code).toBe(0);
      const row = r.json().find((x: { xid: string }) => x.xid === xid);
      expect(Math.abs(Date.parse(row.modifiedAt) - (Date.now() - 10 * MIN))).toBeLessThan(MIN);
      expect(Math.abs(row.inStatusMs - 10 * MIN)).toBeLessThan(MIN);
      expect(row.flags).toEqual(['retrying']);
    } finally {
      await db.exec('DELETE FROM global_table WHERE xid = ?', [xid]);
    }
  });

  it('bad profiles and an unreachable store are clear errors without the password', () => {
    // A bad table name makes its whole file invalid, so it gets a file of its own.
    const badFile = join(box.dir, 'bad-table.yaml');
    writeFileSync(badFile, `profiles:\n  badtable: {tx: {type: seata-db, url: ${JSON.stringify(db.url)}, tables: {global: "g; drop table x"}}}\n`);
    const bad = opsdeck(box.env, ['--config', badFile, '--profile', 'badtable', 'tx', 'list']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^opsdeck: \S+bad-table\.yaml:2:\d+: profile badtable: tx: tables\.global must be a table name/);
    const missing = run('missing', 'tx', 'list');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no table no_such_table \(hint: point tables\.global/);
    const down = run('down', 'tx', 'list');
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^opsdeck: Seata store \w+:\/\/u:\*\*\*@127\.0\.0\.1:1\/seata is unreachable/);
    expect(down.stderr).not.toContain('hunter2');
  });
});

/**
 * A proxy in front of the real server that forwards both ways until frozen, then swallows the
 * server's answers: a store that accepted the connection and then hung (a stopped VM, a dead
 * network path). A server-side statement timeout cannot help there; the client must give up.
 */
async function freezingProxy(port: number): Promise<{ port: number; freeze(): void; close(): void }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const server = createNetServer((client) => {
    const upstream = connectTcp(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!frozen) client.write(d);
    });
    for (const s of [client, upstream]) s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    freeze: () => {
      frozen = true;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe.each<Dialect>(['pg', 'mysql'])('Seata DB store on %s that hangs mid-session', (dialect) => {
  it('gives up with a timeout error (exit 3) instead of waiting forever', async () => {
    const db = await createSeataDb(dialect);
    const proxy = await freezingProxy(dialect === 'pg' ? 5432 : 3306);
    const url = db.url.replace(/:(5432|3306)\//, `:${proxy.port}/`);
    const adapter = await connectSeataDb({ url, timeoutMs: 1500 }, { dataDir: '', version: 'test', name: 'seata-db' });
    try {
      await adapter.ping();
      proxy.freeze();
      const err = await adapter.tx!.listGlobal({ limit: 10 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('timeout');
      expect(exitCodeOf((err as OpsError).kind)).toBe(3);
    } finally {
      proxy.close();
      await adapter.dispose();
      await db.drop();
    }
  }, 30_000);
});

it('hides the whole password in the URL shown in messages, even one holding "@"', () => {
  // The drivers read userinfo up to the last "@": this password is "p@ss:w@rd".
  const o = parseSeataDbOptions({ url: 'postgres://ops:p@ss:w@rd@db.example:5432/seata' }, 'seata-db');
  expect(o.safeUrl).toBe('postgres://ops:***@db.example:5432/seata');
  expect(new URL(o.url).password).toBe('p%40ss%3Aw%40rd');
});
