import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/frontends/tui/components/App.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { cellNumber, nextSort, reverseSort, sortRows } from '../../src/frontends/tui/row-sort.js';
import { currentView, initialState, visibleRows, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { stubDeps } from '../helpers/controller-stub.js';

const row = (name: string, left: string, waiters: string): PaneRow => ({ key: `redis/${name}`, cells: ['redis', name, 'me', '-', left, waiters], tone: 'plain', data: null });
const names = (rows: PaneRow[]) => rows.map((r) => r.cells[1]);
const chars = (text: string): KeyEvent[] => [...text].map((c) => ({ kind: 'char', text: c }));

describe('row sort', () => {
  it('reads numbers, percentages and the panes’ durations by value, and anything else as text', () => {
    expect(cellNumber('42')).toBe(42);
    expect(cellNumber('3.5')).toBe(3.5);
    expect(cellNumber('80%')).toBe(80);
    expect(cellNumber('9m55s')).toBe(595_000);
    expect(cellNumber('1h00m')).toBe(3_600_000);
    expect(cellNumber('850ms')).toBe(850);
    expect(cellNumber('-2s')).toBe(-2000);
    expect(cellNumber('2/2')).toBeNull();
    expect(cellNumber('-')).toBeNull();
    expect(cellNumber('orders')).toBeNull();
  });

  it('sorts durations by value, text ignoring case with digits by value, and keeps placeholders and error rows last', () => {
    const rows = [row('b', '1m00s', '10'), row('A', '59s', '2'), row('c', '-', '?'), row('svc-10', '2h00m', '1'), row('svc-2', '850ms', '0')];
    const err: PaneRow = { key: 'err', cells: ['zk', '', '', '', '', ''], span: 'zk: connection refused', tone: 'bad', data: null };
    expect(names(sortRows([...rows, err], { column: 4, desc: false }))).toEqual(['svc-2', 'A', 'b', 'svc-10', 'c', '']);
    expect(names(sortRows([...rows, err], { column: 4, desc: true }))).toEqual(['svc-10', 'b', 'A', 'svc-2', 'c', '']);
    expect(names(sortRows(rows, { column: 5, desc: false }))).toEqual(['svc-2', 'svc-10', 'A', 'b', 'c']);
    expect(names(sortRows(rows, { column: 1, desc: false }))).toEqual(['A', 'b', 'c', 'svc-2', 'svc-10']);
    // Equal cells keep the loaded order.
    expect(names(sortRows(rows, { column: 0, desc: true }))).toEqual(names(rows));
  });

  it('`s` walks the columns and then turns the sort off; `S` flips it, or starts on the first column high to low', () => {
    expect(nextSort(null, 3)).toEqual({ column: 0, desc: false });
    expect(nextSort({ column: 0, desc: true }, 3)).toEqual({ column: 1, desc: true });
    expect(nextSort({ column: 2, desc: false }, 3)).toBeNull();
    expect(reverseSort(null)).toEqual({ column: 0, desc: true });
    expect(reverseSort({ column: 1, desc: true })).toEqual({ column: 1, desc: false });
  });
});

describe('sorting a pane', () => {
  function setup() {
    const store = new Store<ConsoleState>(initialState(100, 24, { name: 'dev', production: false, readOnly: false }, [], false));
    const rows = [row('beta', '9m55s', '0'), row('alpha', '30s', '3'), row('Gamma', '1h00m', '1')];
    store.set((s) => ({ ...s, pane: 'locks', focus: 'pane', views: { ...s.views, locks: [{ ...s.views.locks[0]!, rows, loading: false, fetchedAt: Date.now() }] } }));
    const c = new Controller(stubDeps(store));
    return { store, press: (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e)) };
  }

  it('`s` cycles the columns, `S` reverses, the selection stays on its row, and the filter still applies', () => {
    const t = setup();
    const view = () => currentView(t.store.get());
    const selectedName = () => visibleRows(view())[view().selected]!.cells[1];
    t.press(...chars('j'));
    expect(selectedName()).toBe('alpha');
    t.press(...chars('ss'));
    expect(view().sort).toEqual({ column: 1, desc: false });
    expect(names(visibleRows(view()))).toEqual(['alpha', 'beta', 'Gamma']);
    expect(selectedName()).toBe('alpha');
    t.press(...chars('sss'));
    expect(view().sort).toEqual({ column: 4, desc: false });
    expect(names(visibleRows(view()))).toEqual(['alpha', 'beta', 'Gamma']);
    t.press(...chars('S'));
    expect(names(visibleRows(view()))).toEqual(['Gamma', 'beta', 'alpha']);
    expect(selectedName()).toBe('alpha');
    expect(t.store.get().notice).toMatch(/sorted by LEASE LEFT, high to low/);
    t.press(...chars('/a'), { kind: 'key', name: 'enter', ctrl: false, meta: false, shift: false });
    expect(names(visibleRows(view()))).toEqual(['Gamma', 'beta', 'alpha']);
    t.press(...chars('/'), ...chars('lph'), { kind: 'key', name: 'enter', ctrl: false, meta: false, shift: false });
    expect(names(visibleRows(view()))).toEqual(['alpha']);
    t.press({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false });
    t.press(...chars('s'));
    expect(view().sort).toEqual({ column: 5, desc: true });
    expect(names(visibleRows(view()))).toEqual(['alpha', 'Gamma', 'beta']);
    t.press(...chars('s'));
    expect(view().sort).toBeNull();
    expect(names(visibleRows(view()))).toEqual(['beta', 'alpha', 'Gamma']);
  });

  it('marks the sorted column in the header', () => {
    const t = setup();
    t.press(...chars('sssss'));
    const { lastFrame, unmount } = render(<App store={t.store} />);
    expect(lastFrame()).toMatch(/LEASE LEFT▲\s+WAITERS/);
    expect(lastFrame()).toMatch(/  redis\s+alpha[^\n]*\n▶ redis\s+beta[^\n]*\n  redis\s+Gamma/);
    unmount();
  });
});
