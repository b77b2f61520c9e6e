import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelOf, rowsOf, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { Session } from '../../src/session/session.js';
import { createSeataDb, seataDdl, type SeataDb } from '../servers/seata-schema.js';
import { consoleReads } from '../../src/frontends/console-reads.js';
import { PLAIN } from '../../src/render/style.js';
import { renderView } from '../../src/render/views.js';

/**
 * The console's transactions pane against a Seata store in real PostgreSQL: stuck transactions
 * come first and are painted as bad, and Enter shows the branches and row locks.
 */

const MIN = 60_000;
let db: SeataDb;
let session: Session;
let dir: string;
const now = Date.now();

beforeAll(async () => {
  db = await createSeataDb('pg');
  for (const sql of seataDdl('pg')) await db.exec(sql);
  const g = (xid: string, status: number, beganAgo: number, timeout: number, modifiedAgo: number) =>
    db.exec(
      'INSERT INTO global_table (xid, transaction_id, status, application_id, transaction_service_group, transaction_name, timeout, begin_time, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [xid, xid.split(':')[2], status, 'order-svc', 'default_tx_group', `tx-${status}`, timeout, now - beganAgo, new Date(now - beganAgo), new Date(now - modifiedAgo)],
    );
  await g('10.0.0.1:8091:1', 1, 2 * MIN, 60 * MIN, MIN); // young and healthy
  await g('10.0.0.1:8091:2', 1, 30 * MIN, MIN, 30 * MIN); // outlived its timeout
  await g('10.0.0.1:8091:3', 5, 40 * MIN, 60 * MIN, 20 * MIN); // RollbackRetrying for 20 min
  await db.exec(
    'INSERT INTO branch_table (branch_id, xid, transaction_id, resource_group_id, resource_id, branch_type, status, client_id, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [7001, '10.0.0.1:8091:3', '3', 'rg', 'jdbc:mysql://orders/orders', 'AT', 5, 'order-svc:10.0.0.7:5000', new Date(now - 39 * MIN), null],
  );
  await db.exec(
    'INSERT INTO lock_table (row_key, xid, transaction_id, branch_id, resource_id, table_name, pk, status, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ['jdbc:mysql://orders/orders^^^t_order^^^42', '10.0.0.1:8091:3', '3', 7001, 'jdbc:mysql://orders/orders', 't_order', '42', 0, new Date(now - 39 * MIN), null],
  );
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-tx-pane-'));
  session = new Session({ name: 't', readOnly: false, production: false, registry: [], config: [], locks: [], tx: { type: 'seata-db', url: db.url }, source: 'test' }, dir, 'test');
});

afterAll(async () => {
  await session?.dispose();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('transactions pane', () => {
  it('lists flagged transactions first and paints them as bad', async () => {
    const loaded = await levelOf('tx', { level: 'top' }).load(consoleReads(session), now);
    const rows = rowsOf(loaded);
    // The columns are `tx list`'s: find FLAGS by its header, as a reader of the pane does.
    const flags = (Array.isArray(loaded) ? [] : loaded.columns).indexOf('FLAGS');
    expect(rows.map((r) => r.key)).toEqual(['10.0.0.1:8091:3', '10.0.0.1:8091:2', '10.0.0.1:8091:1']);
    expect(rows.map((r) => r.tone)).toEqual(['bad', 'bad', 'plain']);
    expect(rows[0]!.cells[1]).toBe('RollbackRetrying');
    expect(rows[0]!.cells[flags]).toBe('retrying');
    expect(rows[1]!.cells[flags]).toBe('timed-out');
    // The pane's columns are `tx list`'s CLI columns (one view definition for both).
    const cli = renderView('tx list', await consoleReads(session).read(['tx', 'list', '--limit', '500']), PLAIN, now);
    expect(Array.isArray(loaded) ? [] : loaded.columns).toEqual(cli.split('\n')[0]!.trim().split(/\s{2,}/));
  });

  it('shows branches and row locks one key away', async () => {
    const level = levelOf('tx', { level: 'top' });
    const rows = rowsOf(await level.load(consoleReads(session), now));
    const plan = level.enter!(rows[0]!);
    expect(plan?.kind).toBe('detail');
    const lines = await (plan as Extract<Plan, { kind: 'detail' }>).load(consoleReads(session));
    const text = lines.join('\n');
    expect(text).toContain('7001');
    expect(text).toContain('AT');
    expect(text).toContain('t_order');
    expect(text).toContain('42');
  });

  it('says what is missing when the profile has no transactions backend', async () => {
    const bare = new Session({ name: 'bare', readOnly: false, production: false, registry: [], config: [], locks: [], source: 'test' }, dir, 'test');
    const err = await levelOf('tx', { level: 'top' }).load(consoleReads(bare), now).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('has no tx backend');
    await bare.dispose();
  });
});
