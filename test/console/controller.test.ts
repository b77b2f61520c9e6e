import { describe, expect, it } from 'vitest';
import { Controller, type ControllerDeps } from '../../src/frontends/tui/controller.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { currentView, initialState, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import type { InstanceView } from '../../src/core/registry.js';
import { levelData } from '../../src/frontends/tui/level-id.js';
import { stubDeps } from '../helpers/controller-stub.js';
import type { ServiceRow } from '../../src/frontends/tui/registry-levels.js';

const key = (name: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }> = {}): KeyEvent => ({ kind: 'key', name, ctrl: false, meta: false, shift: false, ...mods }) as KeyEvent;
const chars = (text: string): KeyEvent[] => [...text].map((c) => ({ kind: 'char', text: c }));
const tick = () => new Promise((r) => setTimeout(r, 0));

const svc = (name: string, caps = ['setTraffic', 'deregister']): PaneRow => ({
  key: `embedded/public/DEFAULT_GROUP/${name}`,
  cells: ['public', 'DEFAULT_GROUP', name, '1', '1/1', '0'],
  tone: 'ok',
  data: { kind: 'service', service: { backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name, instances: 1, healthy: 1, disabled: 0 }, address: [], caps } satisfies ServiceRow,
});
const inst = (ip: string): PaneRow => ({
  key: `${ip}:80`,
  cells: [`${ip}:80`],
  tone: 'ok',
  data: { id: `${ip}:80`, ip, port: 80, health: 'passing', traffic: 'enabled', status: null, statusOverride: null, weight: 1, ephemeral: false, cluster: null, metadata: {}, tags: [], urls: {}, lastHeartbeat: null, lease: null, healthy: true, enabled: true } satisfies InstanceView,
});

function setup(opts: { readOnly?: boolean; production?: boolean; loadFails?: boolean; history?: string[]; loadWarnings?: string[]; completion?: Partial<ControllerDeps['completion']> } = {}) {
  const store = new Store<ConsoleState>(
    initialState(100, 30, { name: 'dev', production: opts.production ?? false, readOnly: opts.readOnly ?? false }, opts.history ?? ['services list'], false, [{ subsystem: 'registry', backend: 'embedded' }]),
  );
  const asked: boolean[] = [];
  const ran: string[] = [];
  const scripts: string[] = [];
  const saved: string[][] = [];
  let exited = false;
  let lastSignal: AbortSignal | null = null;
  let release: (() => void) | null = null;
  let loadFails = opts.loadFails ?? false;
  const deps: ControllerDeps = {
    store,
    completion: { services: () => ['orders', 'payments'], instances: () => [{ id: '10.0.0.1:80', address: '10.0.0.1:80' }], configIds: () => ['orders.yaml'], locks: () => [], profiles: () => ['dev'], namespaces: () => ['public'], groups: () => ['DEFAULT_GROUP'], ...opts.completion },
    runLine: async (line, signal) => {
      ran.push(line);
      lastSignal = signal;
      if (line.startsWith('config watch')) await new Promise<void>((r) => (release = r));
      // A destructive command asks through the console's dialog unless the line says --yes, as execute() does.
      if (line.startsWith('instances deregister') && !/ --yes\b/.test(line)) {
        const ok = await c.ask(`command asks: ${line}`);
        asked.push(ok);
        return ok ? 0 : 1;
      }
      return 0;
    },
    runScript: async (text) => {
      scripts.push(text);
      return 0;
    },
    loadView: async (view) => {
      if (loadFails) throw new Error('backend down');
      if (view.level === 'top' && opts.loadWarnings) return { rows: [svc('orders')], columns: view.columns, warnings: opts.loadWarnings };
      return view.level === 'top' ? [svc('orders'), svc('payments')] : [inst('10.0.0.1'), inst('10.0.0.2')];
    },
    loadDetail: async () => ['detail line'],
    editConfig: async () => undefined,
    saveHistory: (e) => void saved.push([...e]),
    redraw: () => undefined,
    exit: () => void (exited = true),
    owner: 'me@test:1',
    now: Date.now,
  };
  const c = new Controller(deps);
  const press = (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e));
  return { store, c, press, ran, scripts, saved, asked, exited: () => exited, signal: () => lastSignal, release: () => release?.(), failLoads: (v: boolean) => (loadFails = v) };
}

/** From the prompt to the instances of the first service, in pane focus. */
async function openFirstService(t: ReturnType<typeof setup>): Promise<void> {
  t.press(key('escape'));
  await t.c.refreshPane();
  t.press(key('enter'));
  await tick();
}

describe('console controller', () => {
  it('types, completes with Tab, runs on Enter and records history', async () => {
    const t = setup();
    t.press(...chars('servi'), key('tab'));
    expect(t.store.get().line.text).toBe('services ');
    t.press(...chars('show ord'));
    expect(t.store.get().completion?.result.hint).toBe('ers');
    t.press(key('right'));
    expect(t.store.get().line.text).toBe('services show orders');
    t.press(key('enter'));
    await tick();
    expect(t.ran).toEqual(['services show orders']);
    expect(t.store.get().line.text).toBe('');
    expect(t.saved.at(-1)).toEqual(['services list', 'services show orders']);
    t.press(key('up'));
    expect(t.store.get().line.text).toBe('services show orders');
  });

  it('Tab while live names are still loading shows loading… and inserts nothing; the menu fills when they arrive', async () => {
    let ready = false;
    const t = setup({ completion: { ready: () => ready, services: () => (ready ? ['orders', 'payments'] : []) } });
    t.press(...chars('services show o'), key('tab'));
    expect(t.store.get().line.text).toBe('services show o');
    expect(t.store.get().completion).toMatchObject({ open: true, result: { loading: true, items: [] } });
    // A second Tab while still loading must not insert a guess either.
    t.press(key('tab'));
    expect(t.store.get().line.text).toBe('services show o');
    ready = true;
    await new Promise((r) => setTimeout(r, 400));
    const c = t.store.get().completion!;
    expect(c.open).toBe(true);
    expect(c.result.loading).toBeUndefined();
    expect(c.result.items.map((i) => i.value)).toContain('orders');
    expect(t.store.get().line.text).toBe('services show o');
    t.c.dispose();
  });

  it('a menu that opened while loading and filled with one choice: Tab takes it, as Tab on a closed menu would', async () => {
    let ready = false;
    const t = setup({ completion: { ready: () => ready, services: () => (ready ? ['orders', 'payments'] : []) } });
    t.press(...chars('services show or'), key('tab'));
    expect(t.store.get().completion).toMatchObject({ open: true, result: { loading: true } });
    ready = true;
    await new Promise((r) => setTimeout(r, 400));
    expect(t.store.get().completion?.result.items.map((i) => i.value)).toEqual(['orders']);
    expect(t.store.get().line.text).toBe('services show or');
    t.press(key('tab'));
    expect(t.store.get().line.text).toBe('services show orders ');
    expect(t.store.get().completion?.open ?? false).toBe(false);
    // With several choices Tab still only moves the selection.
    t.press(key('u', { ctrl: true }));
    expect(t.store.get().line.text).toBe('');
    t.press(...chars('services show '), key('tab'));
    const before = t.store.get().line.text;
    t.press(key('tab'));
    expect(t.store.get().line.text).toBe(before);
    t.c.dispose();
  });

  it('Ctrl-C cancels the running command, then clears the line; Ctrl-D exits only on an empty line', async () => {
    const t = setup();
    t.press(...chars('config watch orders.yaml'), key('enter'));
    await tick();
    expect(t.store.get().running?.line).toBe('config watch orders.yaml');
    t.press(...chars('abc'));
    expect(t.store.get().line.text).toBe('abc');
    t.press(key('c', { ctrl: true }));
    expect(t.signal()?.aborted).toBe(true);
    t.release();
    await tick();
    expect(t.store.get().running).toBeNull();
    t.press(key('d', { ctrl: true }));
    expect(t.exited()).toBe(false);
    t.press(key('c', { ctrl: true }));
    expect(t.store.get().line.text).toBe('');
    t.press(key('d', { ctrl: true }));
    expect(t.exited()).toBe(true);
  });

  it('Ctrl-R finds an older command and Enter runs it', async () => {
    const t = setup();
    t.press(key('r', { ctrl: true }), ...chars('list'), key('enter'));
    await tick();
    expect(t.ran).toEqual(['services list']);
  });

  it('a multi-line paste runs as one script instead of line by line', async () => {
    const t = setup();
    t.press({ kind: 'paste', text: 'services list\nlocks list\n' });
    await tick();
    expect(t.scripts).toEqual(['services list\nlocks list\n']);
    expect(t.ran).toEqual([]);
  });

  it('pane keys: switch, filter, drill down, and drain after the pane asks; history keeps the line without --yes', async () => {
    const t = setup();
    await t.c.refreshPane();
    t.press(key('escape'));
    expect(t.store.get().focus).toBe('pane');
    t.press(...chars('2'));
    expect(t.store.get().pane).toBe('config');
    t.press(...chars('1'), ...chars('/pay'), key('enter'));
    expect(currentView(t.store.get()).filter).toBe('pay');
    t.press(key('enter'));
    await tick();
    const level = currentView(t.store.get()).level;
    expect(level.startsWith('instances:')).toBe(true);
    expect(levelData(level)).toEqual({ backend: 'embedded', scope: { namespace: 'public', group: 'DEFAULT_GROUP' }, service: 'payments', address: [], caps: ['setTraffic', 'deregister'] });
    t.press(...chars('j'), ...chars('d'));
    await tick();
    expect(t.store.get().dialog?.message).toMatch(/Drain 10\.0\.0\.2:80 of payments/);
    t.press(...chars('y'));
    await tick();
    await tick();
    expect(t.ran).toEqual(['instances drain payments 10.0.0.2:80']);
    expect(t.saved.at(-1)?.at(-1)).toBe('instances drain payments 10.0.0.2:80');
  });

  it('a declined confirmation changes nothing; a production profile demands its name', async () => {
    const t = setup({ production: true });
    await openFirstService(t);
    t.press(...chars('d'));
    await tick();
    expect(t.store.get().dialog?.typeToConfirm).toBe('dev');
    t.press(...chars('de'), key('enter'));
    await tick();
    expect(t.ran).toEqual([]);
    t.press(...chars('d'));
    await tick();
    t.press(...chars('dev'), key('enter'));
    await tick();
    await tick();
    expect(t.ran).toEqual(['instances drain orders 10.0.0.1:80']);
  });

  it('a destructive pane action runs without --yes, so its command asks (the pane does not ask first)', async () => {
    const t = setup({ production: true });
    await openFirstService(t);
    t.press(...chars('x'));
    await tick();
    await tick();
    // The fake command asks the way the real one does through the line runner.
    expect(t.store.get().dialog?.message).toBe('command asks: instances deregister orders 10.0.0.1:80');
    expect(t.store.get().dialog?.typeToConfirm).toBe('dev');
    t.press(...chars('dev'), key('enter'));
    await tick();
    await tick();
    expect(t.ran).toEqual(['instances deregister orders 10.0.0.1:80']);
    expect(t.asked).toEqual([true]);
    expect(t.saved.at(-1)?.at(-1)).toBe('instances deregister orders 10.0.0.1:80');
  });

  it('--yes typed at the prompt is dropped: the line runs without it, history keeps it without, and a notice says so', async () => {
    const t = setup();
    t.press(...chars('instances deregister orders 10.0.0.1:80 --yes'), key('enter'));
    await tick();
    expect(t.ran).toEqual(['instances deregister orders 10.0.0.1:80']);
    expect(t.store.get().dialog?.message).toBe('command asks: instances deregister orders 10.0.0.1:80');
    expect(t.saved.at(-1)?.at(-1)).toBe('instances deregister orders 10.0.0.1:80');
    expect(t.store.get().notice).toMatch(/--yes is ignored in the console/);
    t.press(...chars('n'));
    await tick();
    expect(t.asked).toEqual([false]);
  });

  it('a line recalled with ↑ or found with Ctrl-R asks again on a production profile', async () => {
    const t = setup({ production: true, history: ['instances deregister orders 10.0.0.1:80', 'services list'] });
    t.press(key('up'), key('up'), key('enter'));
    await tick();
    expect(t.store.get().dialog).toMatchObject({ message: 'command asks: instances deregister orders 10.0.0.1:80', typeToConfirm: 'dev' });
    t.press(key('escape'));
    await tick();
    t.press(key('r', { ctrl: true }), ...chars('dereg'), key('enter'));
    await tick();
    expect(t.store.get().dialog).toMatchObject({ message: 'command asks: instances deregister orders 10.0.0.1:80', typeToConfirm: 'dev' });
    t.press(...chars('dev'), key('enter'));
    await tick();
    expect(t.asked).toEqual([false, true]);
  });

  it('a read-only profile refuses pane mutations before asking anything', async () => {
    const t = setup({ readOnly: true });
    t.press(key('escape'));
    await t.c.refreshPane();
    t.press(key('enter'));
    await tick();
    t.press(...chars('d'));
    await tick();
    expect(t.store.get().dialog).toBeNull();
    expect(t.store.get().notice).toMatch(/read-only/);
    expect(t.ran).toEqual([]);
  });

  it('a failed refresh keeps the last good rows and records the error and health', async () => {
    const t = setup();
    await t.c.refreshPane();
    const before = currentView(t.store.get());
    t.failLoads(true);
    await t.c.refreshPane();
    const after = currentView(t.store.get());
    expect(after.rows).toEqual(before.rows);
    expect(after.error).toBe('backend down');
    expect(after.fetchedAt).toBe(before.fetchedAt);
    expect(t.store.get().health.backends).toEqual([{ subsystem: 'registry', backend: 'embedded', state: 'down', message: 'backend down' }]);
  });
});

describe('periodic refresh', () => {
  it('a view with a minimum interval is not reloaded by ticks until it is due; R always reloads', async () => {
    const store = new Store<ConsoleState>(initialState(100, 30, { name: 'dev', production: false, readOnly: false }, [], false));
    let loads = 0;
    let now = 1_000_000;
    const c = new Controller(
      stubDeps(store, {
        completion: { services: () => [], instances: () => undefined, configIds: () => [], locks: () => [], profiles: () => [], namespaces: () => [], groups: () => [] },
        loadView: async () => (loads++, []),
        minRefreshMs: () => 10_000,
        now: () => now,
      }),
    );
    await c.tick();
    expect(loads).toBe(1);
    now += 2000;
    await c.tick();
    expect(loads).toBe(1);
    c.handle({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false });
    c.handle({ kind: 'char', text: 'R' });
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(2);
    now += 10_001;
    await c.tick();
    expect(loads).toBe(3);
  });

  it("a load's warnings land on its view, and its pane's health carries the first one; a load without them has none", async () => {
    const t = setup({ loadWarnings: ['eureka: self-preservation is most likely on'] });
    await t.c.refreshPane();
    expect(currentView(t.store.get()).warnings).toEqual(['eureka: self-preservation is most likely on']);
    expect(t.store.get().health.backends).toEqual([{ subsystem: 'registry', backend: 'embedded', state: 'warning', message: 'eureka: self-preservation is most likely on' }]);
    const quiet = setup();
    await quiet.c.refreshPane();
    expect(currentView(quiet.store.get()).warnings).toEqual([]);
    expect(quiet.store.get().health.backends).toEqual([{ subsystem: 'registry', backend: 'embedded', state: 'ok', message: null }]);
  });
});
