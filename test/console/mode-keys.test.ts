import { describe, expect, it } from 'vitest';
import { keysFor } from '../../src/frontends/tui/components/Footer.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import { actionFor } from '../../src/frontends/tui/key-bindings.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { openPager } from '../../src/frontends/tui/pager.js';
import { currentView, initialState, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { stubDeps } from '../helpers/controller-stub.js';

/**
 * The text-entry modes (the pane filter, Ctrl-R search, the pager's `/` line, the typed-name
 * confirmation) and Shift-Tab dispatch through the key table like every other mode; these are
 * the keys that used to be matched by hand in the controller.
 */

const key = (name: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }> = {}): KeyEvent => ({ kind: 'key', name, ctrl: false, meta: false, shift: false, ...mods }) as KeyEvent;
const chars = (text: string): KeyEvent[] => [...text].map((c) => ({ kind: 'char', text: c }));
const row = (name: string): PaneRow => ({ key: name, cells: [name], tone: 'ok', data: null });

function setup(opts: { production?: boolean; history?: string[] } = {}) {
  const store = new Store<ConsoleState>(initialState(100, 30, { name: 'prod-eu', production: opts.production ?? false, readOnly: false }, opts.history ?? [], false));
  const ran: string[] = [];
  const c = new Controller(stubDeps(store, { loadView: async () => [row('orders'), row('payments')], runLine: async (line) => (ran.push(line), 0) }));
  const press = (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e));
  return { store, c, press, ran };
}

describe('keys of the text-entry modes, from the key table', () => {
  it('Tab and Shift-Tab are two bindings: next pane and previous pane, wrapping at both ends', () => {
    expect(actionFor(key('tab'), ['pane'])).toBe('pane-next');
    expect(actionFor(key('tab', { shift: true }), ['pane'])).toBe('pane-prev');
    const t = setup();
    t.press(key('escape'));
    t.press(key('tab', { shift: true }));
    expect(t.store.get().pane).toBe('caches');
    t.press(key('tab'), key('tab'));
    expect(t.store.get().pane).toBe('config');
    t.c.dispose();
  });

  it('the pane filter: Backspace deletes its last character, Enter keeps it, Esc clears it', async () => {
    const t = setup();
    t.press(key('escape'));
    await t.c.refreshPane();
    t.press(...chars('/payx'), key('backspace'));
    expect(currentView(t.store.get()).filter).toBe('pay');
    expect(t.store.get().focus).toBe('filter');
    t.press(key('enter'));
    expect(t.store.get().focus).toBe('pane');
    expect(currentView(t.store.get()).filter).toBe('pay');
    t.press(...chars('/'), key('escape'));
    expect(currentView(t.store.get()).filter).toBe('');
    expect(t.store.get().focus).toBe('pane');
  });

  it('Ctrl-R search: Backspace widens the search to the newer match again', () => {
    const t = setup({ history: ['services list', 'services show orders'] });
    t.press(key('r', { ctrl: true }), ...chars('services l'));
    expect(t.store.get().search).toEqual({ query: 'services l', index: 0 });
    t.press(key('backspace'), key('backspace'));
    expect(t.store.get().search).toEqual({ query: 'services', index: 1 });
    t.press(key('escape'));
    expect(t.store.get().search).toBeNull();
    expect(t.store.get().line.text).toBe('');
  });

  it("the pager's / line: Backspace edits it, Esc leaves the last search, Enter finds; the footer comes from the table", () => {
    const t = setup();
    t.store.set((s) => ({ ...s, pager: openPager('output', 'alpha\nbeta\ngamma') }));
    t.press(...chars('/betx'));
    expect(keysFor(t.store.get())).toBe('type to search · Enter find · Esc cancel');
    t.press(key('backspace'));
    expect(t.store.get().pager?.typing).toBe('bet');
    t.press(key('escape'));
    expect(t.store.get().pager).toMatchObject({ typing: null, query: '' });
    t.press(...chars('/bet'), key('enter'));
    expect(t.store.get().pager).toMatchObject({ typing: null, query: 'bet', match: 1 });
  });

  it('a typed-name confirmation: Backspace corrects the name, Enter confirms only the exact name, Ctrl-C and Esc cancel', async () => {
    const t = setup({ production: true });
    const asked = t.c.ask('Drain it?');
    expect(keysFor(t.store.get())).toBe('type prod-eu then Enter to confirm · Esc cancels');
    t.press(...chars('prod-eux'), key('backspace'));
    expect(t.store.get().dialog?.input).toBe('prod-eu');
    t.press(key('enter'));
    await expect(asked).resolves.toBe(true);
    for (const cancel of [key('c', { ctrl: true }), key('escape')]) {
      const again = t.c.ask('Drain it?');
      t.press(...chars('prod-eu'), cancel);
      await expect(again).resolves.toBe(false);
      expect(t.store.get().dialog).toBeNull();
    }
  });

  it('a y/N confirmation cancels on Ctrl-C, and y typed into it confirms', async () => {
    const t = setup();
    const declined = t.c.ask('Drain it?');
    t.press(key('c', { ctrl: true }));
    await expect(declined).resolves.toBe(false);
    const confirmed = t.c.ask('Drain it?');
    t.press(...chars('y'));
    await expect(confirmed).resolves.toBe(true);
  });
});
