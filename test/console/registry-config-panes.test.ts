import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysFor } from '../../src/frontends/tui/components/Footer.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import { levelOf, type LoadedView, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { currentView, initialState, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import type { BackendSpec, Profile } from '../../src/session/profile-types.js';
import { stubDeps } from '../helpers/controller-stub.js';
import { Session } from '../../src/session/session.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * Panes 1 and 2 on a real embedded store: scope columns from the backend's model, a backend column
 * and a red row when the profile has several registries, drained instances dimmed, health as its
 * word, pane lines that carry only the flags they need, and config keys only where the backend has
 * the capability.
 */
let dir: string;
const sessions: Session[] = [];
const profile = (registry: BackendSpec[], config: BackendSpec[] = [{ type: 'embedded' }]): Profile => ({ name: 'p', readOnly: false, production: false, registry, config, locks: [], source: 'test' });
const open = (p: Profile) => {
  const s = new Session(p, dir, 'test');
  sessions.push(s);
  return s;
};
const loaded = (v: LoadedView) => (Array.isArray(v) ? { rows: v, columns: null } : v);
const line = (plan: Plan | null) => (plan?.kind === 'command' ? plan.line : plan);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-panes-'));
  const s = open(profile([{ type: 'embedded' }]));
  const r = await s.registryBackend();
  await r.register!({ scope: {}, name: 'orders' }, { ip: '10.0.0.1', port: 80, metadata: {}, ephemeral: false });
  await r.register!({ scope: {}, name: 'orders' }, { ip: '10.0.0.2', port: 80, metadata: {}, ephemeral: false });
  await r.register!({ scope: { namespace: 'staging' }, name: 'orders' }, { ip: '10.1.0.1', port: 80, metadata: {}, ephemeral: false });
  await r.setTraffic!({ scope: {}, name: 'orders' }, '10.0.0.2:80', 'disabled');
  const c = await s.configBackend();
  await c.set!({ scope: {}, dataId: 'app.properties' }, 'a=1\n', 'properties', {});
  await c.set!({ scope: {}, dataId: 'app.properties' }, 'a=2\n', 'properties', {});
  await c.delete!({ scope: {}, dataId: 'app.properties' }, {});
  await c.set!({ scope: {}, dataId: 'app.properties' }, 'a=3\n', 'properties', {});
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

describe('services pane', () => {
  it('takes its scope columns from the registry, and its lines carry only the scope flags that differ from its defaults', async () => {
    const session = open(profile([{ type: 'embedded' }]));
    const { rows, columns } = loaded(await levelOf('services', { level: 'top' }).load(consoleReads(session), Date.now()));
    expect(columns).toEqual(['NAMESPACE', 'GROUP', 'SERVICE', 'INSTANCES', 'HEALTHY', 'DRAINED']);
    expect(rows.map((r) => r.cells)).toEqual([
      ['public', 'DEFAULT_GROUP', 'orders', '2', '2/2', '1'],
      ['staging', 'DEFAULT_GROUP', 'orders', '1', '1/1', '0'],
    ]);
    const level = levelOf('services', { level: 'top' });
    const drill = (row: PaneRow) => level.enter!(row) as Extract<Plan, { kind: 'drill' }>;
    const staging = levelOf('services', { level: drill(rows[1]!).level });
    const instRows = loaded(await staging.load(consoleReads(session), Date.now())).rows;
    expect(line(staging.actions.find((a) => a.key === 'd')!.plan(instRows[0]!, 'me'))).toBe('instances drain orders 10.1.0.1:80 --namespace staging');
    const pub = levelOf('services', { level: drill(rows[0]!).level });
    const { rows: inst, columns: instColumns } = loaded(await pub.load(consoleReads(session), Date.now()));
    expect(instColumns).toEqual(['INSTANCE', 'WEIGHT', 'HEALTH', 'TRAFFIC', 'EPHEMERAL', 'METADATA']);
    expect(inst.map((r) => [r.cells[0], r.cells[2], r.cells[3], r.tone])).toEqual([
      ['10.0.0.1:80', 'passing', 'enabled', 'ok'],
      ['10.0.0.2:80', 'passing', 'drained', 'dim'],
    ]);
    expect(line(pub.actions.find((a) => a.key === 'u')!.plan(inst[1]!, 'me'))).toBe('instances undrain orders 10.0.0.2:80');
  });

  it('with several registries: a BACKEND column, --backend on the lines, and a red row for one that is down while the other still shows', async () => {
    const session = open(profile([{ type: 'embedded', name: 'here' }, { type: 'redis', name: 'down', url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 }]));
    const level = levelOf('services', { level: 'top' });
    const { rows, columns } = loaded(await level.load(consoleReads(session), Date.now()));
    expect(columns).toEqual(['BACKEND', 'NAMESPACE', 'GROUP', 'SERVICE', 'INSTANCES', 'HEALTHY', 'DRAINED']);
    expect(rows.map((r) => `${r.cells[0]}/${r.cells[3]}/${r.tone}`)).toEqual(['here/orders/ok', 'here/orders/ok', 'down/(not listed)/bad']);
    const red = rows[2]!;
    expect(red.cells[3]).toBe('(not listed)');
    expect(red.cells[4]).toMatch(/unreachable/);
    // A red row offers nothing of its own; drift (D) is about every registry, whichever row is selected.
    expect(level.actions.filter((a) => a.key !== 'D').map((a) => a.plan(red, 'me'))).toEqual([null]);
    expect(level.actions.find((a) => a.key === 'D')!.plan(red, 'me')).toMatchObject({ kind: 'drill', level: 'drift:{}', title: 'drift' });
    const drill = level.enter!(rows[0]!) as Extract<Plan, { kind: 'drill' }>;
    expect(drill.title).toBe('orders (here, namespace public, group DEFAULT_GROUP)');
    const inst = levelOf('services', { level: drill.level });
    const first = loaded(await inst.load(consoleReads(session), Date.now())).rows[0]!;
    expect(line(inst.actions.find((a) => a.key === 'x')!.plan(first, 'me'))).toBe('instances deregister orders 10.0.0.1:80 --backend here');
  });

  it('when its only registry is down, the load fails as a whole, so the pane keeps its last rows and shows the error', async () => {
    const session = open(profile([{ type: 'redis', name: 'down', url: 'redis://127.0.0.1:1', connectTimeoutMs: 500 }]));
    await expect(levelOf('services', { level: 'top' }).load(consoleReads(session), Date.now())).rejects.toThrow(/unreachable/);
  });
});

describe('config pane', () => {
  it('offers edit and history but not listeners on the embedded backend; the history says what each entry holds and a deletion cannot be rolled back to', async () => {
    const session = open(profile([{ type: 'embedded' }]));
    const top = levelOf('config', { level: 'top' });
    const { rows, columns } = loaded(await top.load(consoleReads(session), Date.now()));
    expect(columns).toEqual(['NAMESPACE', 'GROUP', 'DATA ID', 'TYPE', 'VERSION', 'MD5', 'UPDATED']);
    const row = rows[0]!;
    const offered = top.actions.filter((a) => !a.unavailable?.(row)).map((a) => a.key);
    expect(offered).toEqual(['e', 'h']);
    expect(top.actions.find((a) => a.key === 'l')!.unavailable!(row)).toBe('config backend embedded cannot list config listeners');
    expect(top.actions.find((a) => a.key === 'e')!.plan(row, 'me')).toEqual({ kind: 'edit-config', backend: 'embedded', scope: { namespace: 'public', group: 'DEFAULT_GROUP' }, dataId: 'app.properties', address: [] });
    const history = levelOf('config', { level: (top.actions.find((a) => a.key === 'h')!.plan(row, 'me') as Extract<Plan, { kind: 'drill' }>).level });
    const entries = loaded(await history.load(consoleReads(session), Date.now())).rows;
    // As `config history` prints it: a deletion holds no content, so its CONTENT cell is '-'.
    expect(entries.map((r) => r.cells.slice(0, 3))).toEqual([
      ['4', 'create', 'after the change'],
      ['3', 'delete', '-'],
      ['2', 'update', 'after the change'],
      ['1', 'create', 'after the change'],
    ]);
    const rollback = history.actions.find((a) => a.key === 'r')!;
    expect(rollback.unavailable!(entries[1]!)).toBe('a deletion left no content to roll back to');
    expect(rollback.unavailable!(entries[2]!)).toBeNull();
    expect(line(rollback.plan(entries[2]!, 'me'))).toBe('config rollback app.properties --to 2');
    expect(line(history.actions.find((a) => a.key === 'd')!.plan(entries[0]!, 'me'))).toBe('config diff app.properties --to 4');
    const detail = history.enter!(entries[2]!) as Extract<Plan, { kind: 'detail' }>;
    expect((await detail.load(consoleReads(session))).slice(2)).toEqual(['a=2']);
  });

  it('a key the row\'s backend cannot do is hidden in the footer and, pressed, says why and runs nothing', async () => {
    const session = open(profile([{ type: 'embedded' }]));
    const store = new Store<ConsoleState>(initialState(120, 30, { name: 'p', production: false, readOnly: false }, [], false));
    const ran: string[] = [];
    const c = new Controller(
      stubDeps(store, {
        completion: { services: () => [], instances: () => undefined, configIds: () => [], locks: () => [], profiles: () => [], namespaces: () => [], groups: () => [] },
        runLine: async (l) => (ran.push(l), 0),
        loadView: (view) => levelOf(view.pane, view).load(consoleReads(session), Date.now()),
      }),
    );
    c.handle({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false });
    c.handle({ kind: 'char', text: '2' });
    // The pane switch starts the load; wait until it has answered.
    for (let i = 0; i < 200 && currentView(store.get()).fetchedAt === null; i++) await new Promise((r) => setTimeout(r, 10));
    expect(currentView(store.get()).columns).toEqual(['NAMESPACE', 'GROUP', 'DATA ID', 'TYPE', 'VERSION', 'MD5', 'UPDATED']);
    expect(keysFor(store.get())).toMatch(/Enter open · e edit · h history · n namespace · Esc/);
    expect(keysFor(store.get())).not.toMatch(/listeners/);
    c.handle({ kind: 'char', text: 'l' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.get().notice).toBe('config backend embedded cannot list config listeners');
    expect(ran).toEqual([]);
  });
});
