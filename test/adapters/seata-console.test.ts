import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox } from '../helpers/cli.js';
import { startFakeConsole, type FakeConsole } from '../servers/seata-console-fake.js';

/**
 * The Seata console adapter through the CLI against a fake console that answers from fixtures in
 * the shape of the 2.x controllers (test/fixtures/seata-console/README.md): login and the Bearer
 * token, expiry and re-login, paging, and errors. The CLI runs as a child process (async), so the
 * in-process server keeps answering.
 */

const HOLDER = '192.168.1.20:8091:2003';
const R1 = 'jdbc:mysql://orders-db:3306/orders';
const GLOBAL_NAMES = [
  'UnKnown', 'Begin', 'Committing', 'CommitRetrying', 'Rollbacking', 'RollbackRetrying', 'TimeoutRollbacking', 'TimeoutRollbackRetrying',
  'AsyncCommitting', 'Committed', 'CommitFailed', 'Rollbacked', 'RollbackFailed', 'TimeoutRollbacked', 'TimeoutRollbackFailed', 'Finished',
  'CommitRetryTimeout', 'RollbackRetryTimeout',
];

let fake: FakeConsole;
let box: ReturnType<typeof sandbox>;
const run = (profile: string, ...args: string[]) => opsdeckAsync(box.env, ['--profile', profile, ...args]);
const gets = () => fake.log.filter((r) => r.method === 'GET');

beforeAll(async () => {
  fake = await startFakeConsole();
  box = sandbox();
  box.env.SEATA_PW = 's3cret-pw';
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  const base = `type: seata-console, url: "${fake.url}", username: seata, password: "\${SEATA_PW}", pageSize: 10`;
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'profiles:',
      `  c: {tx: {${base}}}`,
      `  v1: {tx: {${base}, version: 1}}`,
      `  small: {tx: {${base}, maxPages: 2}}`,
      `  capped: {tx: {${base}, maxResponseBytes: 1048576}}`,
      `  withlocks: {locks: [{${base}, name: seata}]}`,
      `  wrongpw: {tx: {type: seata-console, url: "${fake.url}", username: seata, password: not-the-password}}`,
    ].join('\n') + '\n',
  );
});
afterAll(async () => {
  box?.cleanup();
  await fake?.stop();
});
beforeEach(() => {
  fake.log.length = 0;
  fake.tokenUses = Infinity;
  fake.tokenTtlSec = 1800;
  fake.fault = 'none';
});

describe('Seata console adapter', () => {
  it('logs in, sends the Bearer token on every query, and pages through every transaction', async () => {
    const before = fake.logins();
    const r = await run('c', 'tx', 'list', '-o', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.json();
    expect(rows).toHaveLength(29);
    expect(fake.logins() - before).toBe(1);
    expect(fake.log[0]).toMatchObject({ method: 'POST', path: '/api/v1/auth/login' });
    expect(gets().map((g) => [g.path, g.query.get('pageNum'), g.query.get('pageSize'), g.query.get('withBranch')])).toEqual([
      ['/api/v1/console/globalSession/query', '1', '10', 'true'],
      ['/api/v1/console/globalSession/query', '2', '10', 'true'],
      ['/api/v1/console/globalSession/query', '3', '10', 'true'],
    ]);
    for (const g of gets()) expect(g.auth).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const byXid = new Map<string, any>(rows.map((x: { xid: string }) => [x.xid, x]));
    for (let code = 0; code < 18; code++) expect(byXid.get(`192.168.1.20:8091:${2000 + code}`)).toMatchObject({ status: code, statusName: GLOBAL_NAMES[code] });
    expect(byXid.get('192.168.1.20:8091:4003')).toMatchObject({ status: 18, statusName: null });
    expect(byXid.get('192.168.1.20:8091:4004')).toMatchObject({ status: 99, statusName: null });
    expect(byXid.get(HOLDER)).toMatchObject({ branchCount: 4, flags: ['retrying'], transactionId: '2003' });
    expect(byXid.get('192.168.1.20:8091:4001').flags).toEqual(['timed-out']);
    expect(byXid.get('192.168.1.20:8091:4002').flags).toEqual([]);
    for (const code of [10, 12, 14, 16, 17]) expect(byXid.get(`192.168.1.20:8091:${2000 + code}`).flags).toEqual(['failed']);
    // What the console sends for NULL columns (0 and null) reads as "not stored".
    expect(byXid.get('192.168.1.20:8091:4005')).toMatchObject({ timeoutMs: null, beganAt: null, modifiedAt: null, applicationId: null, ageMs: null, flags: [] });
    expect(rows.slice(0, 13).every((x: { flags: string[] }) => x.flags.length > 0)).toBe(true);
    expect(rows[13].flags).toEqual([]);
  });

  it('passes the status filter to the console, one status per query', async () => {
    const r = await run('c', 'tx', 'list', '--status', 'CommitRetrying,99', '-o', 'json');
    expect(r.code).toBe(0);
    expect(r.json().map((x: { xid: string }) => x.xid).sort()).toEqual([HOLDER, '192.168.1.20:8091:4002', '192.168.1.20:8091:4004'].sort());
    expect(gets().map((g) => g.query.get('status'))).toEqual(['3', '99']);
    const app = await run('c', 'tx', 'list', '--app', 'batch-svc', '--older-than', '30s', '-o', 'json');
    expect(app.json()).toHaveLength(6);
    const none = await run('c', 'tx', 'list', '--app', 'batch-svc', '--older-than', '5m', '-o', 'json');
    expect(none.json()).toEqual([]);
  });

  it('renews an expired token and carries on where it was (401 → login → same page again)', async () => {
    fake.tokenUses = 1;
    const before = fake.logins();
    const r = await run('c', 'tx', 'list', '-o', 'json');
    expect(r.stderr).toBe('');
    expect(r.json()).toHaveLength(29);
    expect(fake.logins() - before).toBe(3);
    const pages = gets().map((g) => g.query.get('pageNum'));
    expect(pages).toEqual(['1', '2', '2', '3', '3']);
    const auths = gets().map((g) => g.auth);
    expect(auths[1]).toBe(auths[0]);
    expect(auths[2]).not.toBe(auths[1]);
  });

  it('renews before the token\'s exp claim runs out, without waiting for a 401', async () => {
    fake.tokenTtlSec = 10;
    const before = fake.logins();
    const r = await run('c', 'tx', 'list', '-o', 'json');
    expect(r.code).toBe(0);
    expect(fake.logins() - before).toBe(3);
    expect(new Set(gets().map((g) => g.auth)).size).toBe(3);
  });

  it('tx show: branches of each type with version-keyed names, and the decoded locks', async () => {
    const d = (await run('c', 'tx', 'show', HOLDER, '-o', 'json')).json();
    expect(d.global).toMatchObject({ xid: HOLDER, statusName: 'CommitRetrying', branchCount: 4 });
    expect(d.branches.map((b: any) => [b.branchId, b.branchType, b.status, b.statusName])).toEqual([
      ['70001', 'AT', 6, 'PhaseTwo_CommitFailed_Retryable'],
      ['70002', 'TCC', 5, 'PhaseTwo_Committed'],
      ['70003', 'SAGA', 13, 'PhaseOne_RDONLY'],
      ['70004', 'XA', 99, null],
    ]);
    expect(d.locks.map((l: any) => [l.tableName, l.pk, l.pkValues, l.resourceId, l.status])).toEqual([
      ['t_order', '1001', ['1001'], R1, null],
      ['t_order_item', '1001_7', ['1001', '7'], R1, null],
    ]);
    const v1 = (await run('v1', 'tx', 'show', HOLDER, '-o', 'json')).json();
    expect(v1.branches[2]).toMatchObject({ status: 13, statusName: null });
    const text = await run('c', 'tx', 'show', HOLDER, '-o', 'table');
    expect(text.stdout).toMatch(/^70004\s+XA\s+99\s+jdbc:postgresql:\/\/stock-db:5432\/stock\s+19m\d\ds\s+order-svc:192\.168\.1\.31:40122$/m);
    expect(text.stdout).toMatch(/^t_order_item\s+1001_7\s+70001\s+jdbc:mysql:\/\/orders-db:3306\/orders\s+-\s+19m\d\ds$/m);
    const missing = await run('c', 'tx', 'show', '1.2.3.4:8091:1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^opsdeck: no global transaction 1\.2\.3\.4:8091:1 in seata-console/);
  });

  it('tx locks and locks list read the global locks, paged', async () => {
    const all = (await run('c', 'tx', 'locks', '-o', 'json')).json();
    expect(all).toHaveLength(15);
    expect(gets().map((g) => [g.path, g.query.get('pageNum')])).toEqual([['/api/v1/console/globalLock/query', '1'], ['/api/v1/console/globalLock/query', '2']]);
    const order = (await run('c', 'tx', 'locks', '--table', 't_order', '-o', 'json')).json();
    expect(order.map((l: any) => l.rowKey)).toEqual([`${R1}^^^t_order^^^1001`]);
    expect(gets().at(-1)!.query.get('tableName')).toBe('t_order');
    const list = (await run('withlocks', 'locks', 'list', '-o', 'json')).json().locks;
    expect(list).toHaveLength(15);
    expect(list[0]).toMatchObject({ backend: 'seata', kind: 'seata-global-lock', holder: HOLDER, token: '70001', name: `${R1}^^^t_order^^^1001` });
  });

  it('a listing bounded by maxPages says so', async () => {
    const r = await run('small', 'tx', 'list', '-o', 'json');
    expect(r.code).toBe(0);
    expect(r.json()).toHaveLength(20);
    expect(r.stderr).toMatch(/^opsdeck: warning: seata-console: listing incomplete, stopped after 2 pages of 10 \(the console has 3\)/m);
  });

  it('a rejected login is unauthorized (exit 3) and never prints the password', async () => {
    const r = await run('wrongpw', 'tx', 'list');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^opsdeck: http:\/\/127\.0\.0\.1:\d+ rejected the login of console user seata \(hint: check username and password/);
    expect(r.stderr + r.stdout).not.toContain('not-the-password');
    expect(gets()).toEqual([]);
  });

  it('server errors, garbage and huge bodies become clear one-line errors', async () => {
    fake.fault = '500';
    const e500 = await run('c', 'tx', 'list');
    expect(e500.code).toBe(1);
    expect(e500.stderr).toMatch(/\/api\/v1\/console\/globalSession\/query failed \(HTTP 500\): Internal Server Error \(hint: see the Seata server log\)\n$/);
    fake.fault = 'code-500';
    const code = await run('c', 'tx', 'locks');
    expect(code.stderr).toMatch(/globalLock\/query failed \(code 500\): Server error/);
    fake.fault = 'garbage';
    const garbage = await run('c', 'tx', 'list');
    expect(garbage.code).toBe(3);
    expect(garbage.stderr).toMatch(/answered HTTP 502 with a body that is not the console API: <html><body>Bad Gateway/);
    fake.fault = 'huge';
    const huge = await run('capped', 'tx', 'list');
    expect(huge.code).toBe(3);
    expect(huge.stderr).toMatch(/sent more than 1 MiB for one answer \(hint: lower pageSize, or raise maxResponseBytes/);
    expect(huge.stderr.split('\n')).toHaveLength(2);
  });
});
