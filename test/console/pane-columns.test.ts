import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleReads, type ConsoleReads } from '../../src/frontends/console-reads.js';
import { driftPlan } from '../../src/frontends/tui/drift-level.js';
import { levelOf, type LoadedView, type Plan } from '../../src/frontends/tui/pane-levels.js';
import type { PaneId } from '../../src/frontends/tui/state.js';
import { PLAIN } from '../../src/render/style.js';
import { renderView } from '../../src/render/views.js';
import { Session } from '../../src/session/session.js';

/**
 * One view definition per table: every list pane shows exactly the columns its command prints in
 * the CLI table, and each row's cells are the CLI row's cells, in order (a cell the definition
 * marks `narrow`, an md5, is the start of the CLI's). Both sides read the same embedded store
 * through the same command, at the same instant.
 */

let dir: string;
let session: Session;
let reads: ConsoleReads;
const now = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-pane-columns-'));
  session = new Session({ name: 'cols', readOnly: false, production: false, registry: [{ type: 'embedded' }], config: [{ type: 'embedded' }], locks: [{ type: 'embedded' }], source: 'test' }, dir, 'test');
  reads = consoleReads(session);
  // The demo fleet: services in two namespaces, configs with history, held locks with waiters.
  await reads.act(['demo']);
  await reads.act(['locks', 'acquire', 'columns/test', '--owner', 'alice', '--ttl', '10m']);
});

afterAll(async () => {
  await session?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CLI table's header words: columns are two or more spaces apart, a header has at most one inside. */
const headerOf = (table: string) => table.split('\n')[0]!.trim().split(/\s{2,}/);

function asTable(loaded: LoadedView): Exclude<LoadedView, unknown[]> {
  if (Array.isArray(loaded)) throw new Error('the pane gave rows without columns');
  return loaded;
}

/** The pane's columns are the CLI's, and each pane row's cells appear in the CLI row, in order. */
function expectSameTable(pane: Exclude<LoadedView, unknown[]>, cli: string): void {
  expect(pane.columns).toEqual(headerOf(cli));
  const lines = cli.split('\n').slice(1);
  expect(pane.rows.length).toBeGreaterThan(0);
  pane.rows.forEach((row, i) => {
    const line = lines[i]!;
    let at = 0;
    for (const [j, cell] of row.cells.entries()) {
      const found = line.indexOf(cell, at);
      expect(found, `row ${i} column ${pane.columns[j]}: "${cell}" in "${line}"`).toBeGreaterThanOrEqual(at);
      at = found + cell.length;
    }
  });
}

async function paneAndCli(pane: PaneId, level: string, words: string[]): Promise<[Exclude<LoadedView, unknown[]>, string]> {
  const loaded = asTable(await levelOf(pane, { level }).load(reads, now));
  const data = await reads.read(words);
  return [loaded, renderView(words.slice(0, 2).join(' ').replace(/ -.*$/, ''), data, PLAIN, now, 200)];
}

const drill = (pane: PaneId, plan: Plan | null) => {
  if (plan?.kind !== 'drill') throw new Error(`expected a drill-down, got ${plan?.kind}`);
  return plan.level;
};

describe('a pane shows its command\'s CLI columns', () => {
  it('services: services list', async () => {
    const [pane, cli] = await paneAndCli('services', 'top', ['services', 'list']);
    expectSameTable(pane, cli);
    expect(pane.columns).toContain('NAMESPACE');
  });

  it('instances: services show', async () => {
    const top = asTable(await levelOf('services', { level: 'top' }).load(reads, now));
    const orders = top.rows.find((r) => r.cells.includes('orders') && !r.cells.includes('staging'))!;
    const level = drill('services', levelOf('services', { level: 'top' }).enter!(orders));
    const [pane, cli] = await paneAndCli('services', level, ['services', 'show', 'orders']);
    // `services show` puts a title line above its table.
    expectSameTable(pane, cli.split('\n').slice(1).join('\n'));
  });

  it('config: config list', async () => {
    const [pane, cli] = await paneAndCli('config', 'top', ['config', 'list']);
    expectSameTable(pane, cli);
    // The md5 is cut in the pane (the definition's width hint) and whole in the CLI.
    const md5 = pane.columns.indexOf('MD5');
    expect(pane.rows[0]!.cells[md5]).toHaveLength(12);
  });

  it('config history: config history', async () => {
    const top = levelOf('config', { level: 'top' });
    const rows = asTable(await top.load(reads, now)).rows;
    const row = rows.find((r) => r.cells.includes('feature-flags.properties'))!;
    const level = drill('config', top.actions.find((a) => a.key === 'h')!.plan(row, 'me'));
    const [pane, cli] = await paneAndCli('config', level, ['config', 'history', 'feature-flags.properties']);
    expectSameTable(pane, cli);
  });

  it('locks: locks list', async () => {
    const [pane, cli] = await paneAndCli('locks', 'top', ['locks', 'list']);
    expectSameTable(pane, cli);
    // Right-aligned where the CLI aligns right.
    expect(pane.align?.[pane.columns.indexOf('WAITERS')]).toBe('right');
  });

  it('drift: services drift', async () => {
    const pane = asTable(await levelOf('services', { level: driftPlan().level }).load(reads, now));
    // With no metrics backend the CLI prints no table; its view definition's headers are the pane's.
    const { DRIFT_COLUMNS } = await import('../../src/render/drift-view.js');
    expect(pane.columns).toEqual(DRIFT_COLUMNS.map((c) => c.header));
  });
});
