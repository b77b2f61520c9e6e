import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceChoices } from '../../src/commands/live-lists.js';
import { COMMANDS } from '../../src/commands/table.js';
import { OpsError } from '../../src/core/errors.js';
import { parseArgs } from '../../src/frontends/cli/build-program.js';
import { keysFor } from '../../src/frontends/tui/components/Footer.js';
import { scopeNote } from '../../src/frontends/tui/components/PaneArea.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import { LiveCache } from '../../src/frontends/tui/live-cache.js';
import { levelOf, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { scopedLine, type ParsedLine } from '../../src/frontends/tui/scoped-line.js';
import { currentView, initialState, type ConsoleState } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { runUse } from '../../src/frontends/tui/use-namespace.js';
import type { KeyEvent, KeyName } from '../../src/frontends/tui/keys.js';
import { stubDeps } from './stub-deps.js';
import { complete } from '../../src/shell/completion/complete.js';
import { tokenize } from '../../src/shell/tokenize.js';
import type { Profile } from '../../src/session/profile-types.js';
import { Session } from '../../src/session/session.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * The console's namespace (`use NAMESPACE`, `n` in panes 1 and 2) on a real embedded store, which
 * has namespaces in its scope model: the panes list only the namespace in effect and say so, a
 * typed line without --namespace runs in it, completion offers what lives in it, and the config
 * history diffs between two marked entries.
 */
let dir: string;
let session: Session;
const profile: Profile = { name: 'p', readOnly: false, production: false, registry: [{ type: 'embedded' }], config: [{ type: 'embedded' }], locks: [], source: 'test' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-ns-'));
  session = new Session(profile, dir, 'test');
  const r = await session.registryBackend();
  await r.register!({ scope: {}, name: 'orders' }, { ip: '10.0.0.1', port: 80, metadata: {}, ephemeral: false });
  await r.register!({ scope: { namespace: 'staging' }, name: 'orders' }, { ip: '10.1.0.1', port: 80, metadata: {}, ephemeral: false });
  await r.register!({ scope: { namespace: 'staging' }, name: 'staging-only' }, { ip: '10.1.0.2', port: 80, metadata: {}, ephemeral: false });
  const c = await session.configBackend();
  await c.set!({ scope: {}, dataId: 'app.properties' }, 'a=1\n', 'properties', {});
  await c.set!({ scope: { namespace: 'staging' }, dataId: 'staging.properties' }, 'b=1\n', 'properties', {});
});

afterAll(async () => {
  await session.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const key = (name: KeyName): KeyEvent => ({ kind: 'key', name, ctrl: false, meta: false, shift: false });
const char = (text: string): KeyEvent => ({ kind: 'char', text });
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
};

function setup() {
  const store = new Store<ConsoleState>(initialState(120, 30, { name: 'p', production: false, readOnly: false }, [], false));
  const cache = new LiveCache(consoleReads(session), { profiles: new Map([['p', profile]]) } as never);
  const ran: string[] = [];
  const c = new Controller(
    stubDeps({
      store,
      completion: cache,
      runLine: async (l) => (ran.push(l), 0),
      loadView: (view, scope) => levelOf(view.pane, view).load(consoleReads(session), Date.now(), scope),
      namespaces: () => namespaceChoices(session),
    }),
  );
  const type = (text: string) => [...text].forEach((ch) => c.handle(char(ch)));
  return { store, cache, c, ran, type };
}

describe('the console namespace', () => {
  it('n in pane 1 opens `use` with the namespaces; switching lists only that namespace, says so in the header and status, and --all goes back', async () => {
    const { store, cache, c, type } = setup();
    await cache.refresh();
    c.handle(key('escape'));
    // Until a backend has answered with namespaces, the key is not offered.
    expect(keysFor(store.get())).not.toContain('n namespace');
    await c.refreshPane();
    const s0 = store.get();
    expect(currentView(s0).rows.map((r) => r.cells.slice(0, 3))).toEqual([
      ['public', 'DEFAULT_GROUP', 'orders'],
      ['staging', 'DEFAULT_GROUP', 'orders'],
      ['staging', 'DEFAULT_GROUP', 'staging-only'],
    ]);
    expect(scopeNote(s0)).toBe(' in every namespace');
    expect(keysFor(s0)).toContain('n namespace');
    // A drill-down, which the switch must leave (it belongs to the old namespace).
    c.handle(key('enter'));
    await until(() => store.get().views.services.length === 2 && currentView(store.get()).fetchedAt !== null);
    c.handle(char('n'));
    let s = store.get();
    expect(s.focus).toBe('prompt');
    expect(s.line.text).toBe('use ');
    expect(s.completion?.open).toBe(true);
    expect(s.completion!.result.items.map((i) => i.value).sort()).toEqual(['public', 'staging']);
    type('staging');
    c.handle(key('enter'));
    await until(() => store.get().running === null && store.get().scope.namespace === 'staging' && currentView(store.get()).fetchedAt !== null);
    s = store.get();
    expect(s.views.services).toHaveLength(1);
    expect(currentView(s).rows.map((r) => r.cells[2])).toEqual(['orders', 'staging-only']);
    expect(scopeNote(s)).toBe(' in namespace staging');
    expect(s.log.at(-1)).toMatchObject({ line: 'use staging', exitCode: 0 });
    // Pane 2 follows.
    c.handle(key('escape'));
    c.handle(char('2'));
    await until(() => currentView(store.get()).fetchedAt !== null && !currentView(store.get()).loading);
    expect(currentView(store.get()).rows.map((r) => r.cells[2])).toEqual(['staging.properties']);
    // A name that does not exist is refused with the ones that do; the namespace stays.
    c.handle(char(':'));
    type('use stagin');
    c.handle(key('enter'));
    await until(() => store.get().running === null && store.get().log.at(-1)?.exitCode !== null);
    expect(store.get().log.at(-1)).toMatchObject({ line: 'use stagin', exitCode: 1 });
    expect(store.get().log.at(-1)!.text).toMatch(/namespace stagin not found[\s\S]*public, staging/);
    expect(store.get().scope).toEqual({ namespace: 'staging' });
    type('use --all');
    c.handle(key('enter'));
    await until(() => store.get().running === null && store.get().scope.namespace === undefined && currentView(store.get()).fetchedAt !== null);
    expect(currentView(store.get()).rows.map((r) => r.cells[2])).toEqual(['app.properties', 'staging.properties']);
  });

  it('completion at the prompt offers the services and instances of the namespace in effect, not those of another', async () => {
    const { store, cache, c, type } = setup();
    await cache.refresh();
    c.handle(key('escape'));
    await c.refreshPane();
    c.handle(char('n'));
    type('staging');
    c.handle(key('enter'));
    await until(() => store.get().scope.namespace === 'staging' && store.get().running === null);
    const offered = (line: string) => complete([...COMMANDS], line, line.length, cache, 50, store.get().scope).items.map((i) => i.value);
    expect(offered('instances drain st')).toEqual(['staging-only']);
    // Instances load in the background on the first ask.
    offered('instances drain orders ');
    await until(() => offered('instances drain orders ').length > 0);
    expect(offered('instances drain orders ')).toEqual(['10.1.0.1:80']);
    // The line's own --namespace wins over the console's.
    offered('instances drain orders --namespace public ');
    await until(() => offered('instances drain orders --namespace public ').length > 0);
    expect(offered('instances drain orders --namespace public ')).toEqual(['10.0.0.1:80']);
  });

  it('a profile none of whose backends has namespaces refuses use, naming the backends', async () => {
    const r = await runUse('use staging', {}, () => Promise.reject(new OpsError('usage', 'no backend of profile p has namespaces (eureka)', 'panes 1 and 2 already list everything')));
    expect(r).toEqual({ text: 'error: no backend of profile p has namespaces (eureka)\n(hint: panes 1 and 2 already list everything)', exitCode: 2 });
    expect((await runUse('use a b', {}, async () => ['a'])).exitCode).toBe(2);
    expect((await runUse('use --bogus', {}, async () => ['a'])).exitCode).toBe(2);
    expect(await runUse('use', { namespace: 'a' }, async () => ['a', 'b'])).toEqual({ text: 'namespace a\nnamespaces: a, b', exitCode: 0 });
  });
});

describe('typed lines run in the namespace in effect', () => {
  const parse = (l: string): ParsedLine | null => {
    const words = tokenize(l, () => undefined);
    const p = parseArgs(COMMANDS, words, 'replay', 'test');
    return p.kind === 'command' ? { spec: p.inv.spec, opts: p.inv.input.opts, profile: p.inv.globals.profile, words } : null;
  };
  const scoped = (l: string) => scopedLine(l, { namespace: 'staging' }, 'p', parse);

  it('gets --namespace when the command has it and the line gives none', () => {
    expect(scoped('instances drain orders 10.1.0.1:80')).toBe('instances drain orders 10.1.0.1:80 --namespace staging');
    expect(scoped('services list')).toBe('services list --namespace staging');
    expect(scoped("config get 'my app.yaml'")).toBe("config get 'my app.yaml' --namespace staging");
  });

  it('is left as typed when it names a namespace, has no such option, aims at another profile, or has --', () => {
    expect(scoped('instances drain orders x --namespace=public')).toBe('instances drain orders x --namespace=public');
    expect(scoped('namespaces list')).toBe('namespaces list');
    expect(scoped('locks list')).toBe('locks list');
    expect(scoped('services list --profile other')).toBe('services list --profile other');
    expect(scoped('services show -- orders')).toBe('services show -- orders');
    expect(scopedLine('services list', {}, 'p', parse)).toBe('services list');
  });
});

describe('config history', () => {
  it('v marks an entry and d diffs from it to the selected one; without a mark, from the one before', async () => {
    const c = await session.configBackend();
    await c.set!({ scope: {}, dataId: 'app.properties' }, 'a=2\n', 'properties', {});
    await c.set!({ scope: {}, dataId: 'app.properties' }, 'a=3\n', 'properties', {});
    const { store, c: ctl, ran } = setup();
    ctl.handle(key('escape'));
    ctl.handle(char('2'));
    await until(() => currentView(store.get()).fetchedAt !== null && !currentView(store.get()).loading);
    ctl.handle(char('h'));
    await until(() => currentView(store.get()).level.startsWith('history:') && currentView(store.get()).fetchedAt !== null);
    expect(keysFor(store.get())).toContain('v mark for diff');
    expect(currentView(store.get()).rows.map((r) => r.cells[0])).toEqual(['3', '2', '1']);
    ctl.handle(char('G'));
    ctl.handle(char('v'));
    expect(currentView(store.get()).marked).toBe(currentView(store.get()).rows[2]!.key);
    ctl.handle(char('g'));
    ctl.handle(char('d'));
    await until(() => ran.length === 1);
    expect(ran).toEqual(['config diff app.properties --from 1 --to 3']);
    // The mark cleared: the one before.
    ctl.handle(char('G'));
    ctl.handle(char('v'));
    ctl.handle(char('g'));
    ctl.handle(char('d'));
    await until(() => ran.length === 2);
    expect(ran[1]).toBe('config diff app.properties --to 3');
    const top = levelOf('config', { level: 'top' });
    const plan = top.actions.find((a) => a.key === 'h')!.plan(currentView({ ...store.get(), pane: 'config', views: { ...store.get().views, config: [store.get().views.config[0]!] } }).rows[0]!, 'me') as Extract<Plan, { kind: 'drill' }>;
    expect(levelOf('config', { level: plan.level }).marks).toBe('mark for diff');
  });
});
