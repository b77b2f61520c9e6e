import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/table.js';
import { parseArgs } from '../../src/frontends/cli/build-program.js';
import { consoleActionFor } from '../../src/frontends/tui/console-actions.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import { driftPlan } from '../../src/frontends/tui/drift-level.js';
import { levelOf, type LoadedView } from '../../src/frontends/tui/pane-levels.js';
import { currentView, initialState, type ConsoleState } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { Session } from '../../src/session/session.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * The drift view's wiring without a terminal: `services drift` at the prompt means "open the
 * view" (unless it asks for output), the view loads the command's report from a real embedded
 * store, and the controller stacks it on the services pane once. The real-terminal test with
 * Eureka and Prometheus is e2e-drift.test.ts.
 */
let dir: string;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-drift-view-'));
  session = new Session({ name: 'p', readOnly: false, production: false, registry: [{ type: 'embedded', name: 'one' }, { type: 'eureka', name: 'down', url: 'http://127.0.0.1:1/eureka' }], config: [], locks: [], source: 'test' }, dir, 'test');
  const r = await session.registryBackend('one');
  await r.register!({ scope: {}, name: 'orders' }, { ip: '10.0.0.1', port: 80, metadata: {}, ephemeral: false });
});

afterAll(async () => {
  await session.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const action = (line: string) => {
  const parsed = parseArgs(COMMANDS, line.split(' '), 'replay', '0');
  if (parsed.kind !== 'command') throw new Error(`not a command: ${line}`);
  return consoleActionFor(parsed.inv, 'dev');
};

describe('the drift view', () => {
  it('services drift typed in the console opens the view with its options; -o or another profile keep it a command', () => {
    expect(action('services drift')).toEqual({ kind: 'open-drift', ask: {} });
    expect(action('services drift --service orders --ignore not-scraped --ignore expired-kept')).toEqual({ kind: 'open-drift', ask: { service: 'orders', ignore: ['not-scraped', 'expired-kept'] } });
    expect(action('services drift -o json')).toBeNull();
    expect(action('services drift --profile other')).toBeNull();
    expect(() => action('services drift --ignore nope')).toThrow(/--ignore must be one of/);
  });

  it('loads what the command reports: a red row for a source not read, and what could not be judged above the rows', async () => {
    const plan = driftPlan({ service: 'orders' });
    expect(plan.title).toBe('drift (service orders)');
    const level = levelOf('services', { level: plan.level });
    const loaded = (await level.load(consoleReads(session), Date.now())) as Exclude<LoadedView, unknown[]>;
    expect(loaded.rows.map((r) => [...r.cells.slice(0, 4), r.tone])).toEqual([['(not read)', '-', '-', 'down', 'bad']]);
    expect(loaded.rows[0]!.cells[4]).toMatch(/127\.0\.0\.1:1/);
    expect(loaded.warnings).toEqual([
      'service-missing not judged in full: down could not be read whole, so a service missing from it is not reported',
      ...['not-scraped', 'not-registered', 'healthy-but-down'].map((k) => `${k} not judged in full: the profile has no metrics backend`),
    ]);
    const detail = level.enter!(loaded.rows[0]!);
    expect(detail?.kind === 'detail' && (await detail.load(consoleReads(session)))[0]).toBe('source  down');
  });

  it('one registry that agrees with itself: a single "no drift" row', async () => {
    const alone = new Session({ name: 'p', readOnly: false, production: false, registry: [{ type: 'embedded' }], config: [], locks: [], source: 'test' }, dir, 'test');
    try {
      const loaded = (await levelOf('services', { level: driftPlan().level }).load(consoleReads(alone), Date.now())) as Exclude<LoadedView, unknown[]>;
      expect(loaded.rows.map((r) => [r.cells[0], r.cells[3], r.tone])).toEqual([['no drift', 'embedded', 'ok']]);
    } finally {
      await alone.dispose();
    }
  });

  it('the controller opens it on the services pane, once however often it is asked', async () => {
    const store = new Store<ConsoleState>(initialState(100, 30, { name: 'p', production: false, readOnly: false }, [], false));
    const loads: string[] = [];
    const c = new Controller({
      store, completion: { services: [], instances: [], configs: [], locks: [], profiles: [], namespaces: [], groups: [], datacenters: [] } as never,
      runLine: async () => 0, runScript: async () => 0,
      loadView: async (v) => (loads.push(v.level), []),
      loadDetail: async () => [], editConfig: async () => {}, saveHistory: () => {}, redraw: () => {}, exit: () => {}, owner: 'me', now: Date.now,
    });
    c.openDrill('services', driftPlan());
    c.openDrill('services', driftPlan());
    await new Promise((r) => setTimeout(r, 10));
    const s = store.get();
    expect(s.pane).toBe('services');
    expect(s.focus).toBe('pane');
    expect(s.views.services.map((v) => v.level)).toEqual(['top', 'drift:{}']);
    expect(currentView(s).title).toBe('drift');
    expect(loads).toContain('drift:{}');
  });
});
