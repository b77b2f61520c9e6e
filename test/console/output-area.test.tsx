import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/frontends/tui/components/App.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import { KeyParser, type KeyEvent } from '../../src/frontends/tui/keys.js';
import { layout } from '../../src/frontends/tui/layout.js';
import { cutLine, fitOutputLine, outputWindow, wrapLine } from '../../src/frontends/tui/output-lines.js';
import { findMatch, movePager, openPager, pagerLines } from '../../src/frontends/tui/pager.js';
import { initialState, type ConsoleState, type LogEntry, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { stubDeps } from '../helpers/controller-stub.js';

const k = (name: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }> = {}): KeyEvent => ({ kind: 'key', name, ctrl: false, meta: false, shift: false, ...mods }) as KeyEvent;
const typed = (text: string): KeyEvent[] => [...text].map((c) => ({ kind: 'char', text: c }));
const entry = (id: number, line: string | null, text: string, exitCode: number | null = 0): LogEntry => ({ id, line, text, exitCode });
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');
const svcRow = (i: number): PaneRow => ({ key: `s${i}`, cells: [`svc-${i}`, '1', '1', '0'], tone: 'ok', data: null });

/** The frame the console draws for a state, rendered afresh. */
function frameOf(store: Store<ConsoleState>): string {
  const { lastFrame, unmount } = render(<App store={store} />);
  const f = lastFrame()!;
  unmount();
  return f;
}

/** A controller whose only command prints `output`; the pager hand-off is recorded. */
function consoleWith(output: string, rows = 45, cols = 100) {
  const store = new Store<ConsoleState>(initialState(cols, rows, { name: 'dev', production: false, readOnly: false }, [], false));
  const paged: string[] = [];
  let c!: Controller;
  const deps = stubDeps(store, {
    runLine: async (line) => {
      c.log({ line, text: output, exitCode: 0 });
      return 0;
    },
    loadView: async () => [svcRow(1), svcRow(2)],
    openPager: (text) => void paged.push(text),
  });
  c = new Controller(deps);
  const press = (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e));
  const run = async (line: string) => {
    press(...typed(line), k('enter'));
    await new Promise((r) => setTimeout(r, 0));
  };
  return { store, c, press, run, paged };
}

describe('output lines', () => {
  it('wraps a long hint at word boundaries instead of cutting it, keeping every word', () => {
    const hint = 'error: lock deploy/orders is held by reindexer-0@10.0.3.11 (hint: release it as its owner with --owner reindexer-0@10.0.3.11, or use --force)';
    const lines = wrapLine(hint, 40);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => [...l].length <= 40)).toBe(true);
    expect(lines.join(' ')).toBe(hint);
  });

  it('wraps coloured text by what shows, and closes and reopens a colour across the break', () => {
    const red = `\x1b[31m${'x'.repeat(30)}\x1b[39m`;
    const lines = wrapLine(red, 20);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`\x1b[31m${'x'.repeat(20)}\x1b[0m`);
    expect(lines[1]).toBe(`\x1b[31m${'x'.repeat(10)}\x1b[39m`);
  });

  it('cuts a table row that is too wide (with …) but wraps prose', () => {
    const row = 'embedded  billing/nightly-settlement  embedded  settlement-worker-2@10.0.2.12      1      1';
    expect(fitOutputLine(row, 40)).toEqual([`${row.slice(0, 39)}…`]);
    expect(fitOutputLine('opsdeck: error: the lock is held by someone else, so it was not released', 40)).toHaveLength(2);
    const help = `  services list         ${'word '.repeat(20).trim()}`;
    const lines = fitOutputLine(help, 60);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.startsWith(' '.repeat(24)) && l.length <= 60)).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(help.trim());
    expect(cutLine(`\x1b[36m${'y'.repeat(50)}\x1b[39m`, 10)).toBe(`\x1b[36m${'y'.repeat(9)}…\x1b[0m`);
  });

  it('shows the newest lines, says how many are above, and scrolls back to the first line', () => {
    const log = [entry(1, 'help', numbered(46))];
    const bottom = outputWindow(log, 80, 10, 0);
    expect(bottom.total).toBe(47);
    expect(bottom.lines.map((l) => l.text).at(-1)).toBe('line 46');
    expect(bottom.lines).toHaveLength(9);
    expect(bottom.above).toBe(38);
    const top = outputWindow(log, 80, 10, 1000);
    expect(top.lines[0]!.text).toBe('› help');
    expect(top.above).toBe(0);
    expect(top.below).toBeGreaterThan(0);
  });
});

describe('layout', () => {
  it('at 45 rows the output takes every line a short pane leaves: no empty band', () => {
    const s = initialState(120, 45, { name: 'dev', production: false, readOnly: false }, [], false);
    const five = { ...s, views: { ...s.views, services: [{ ...s.views.services[0]!, rows: [1, 2, 3, 4, 5].map(svcRow), loading: false }] } };
    const l = layout(five);
    expect(l.pane).toBe(7); // title, header, five rows
    expect(l.pane + l.log).toBe(l.body);
    expect(l.body).toBe(40);
    expect(l.log).toBe(33);
  });

  it('a pane with many rows keeps 30% of the body for the output', () => {
    const s = initialState(120, 45, { name: 'dev', production: false, readOnly: false }, [], false);
    const many = { ...s, views: { ...s.views, services: [{ ...s.views.services[0]!, rows: Array.from({ length: 500 }, (_, i) => svcRow(i)), loading: false }] } };
    expect(layout(many).log).toBe(12);
  });
});

describe('pager', () => {
  it('pages, searches with wrap-around, and reports where it is', () => {
    const p = openPager('› help', `${numbered(100)}\nthe end`);
    const lines = pagerLines(p, 80);
    expect(movePager(p, 'page-down', lines, 20).top).toBe(19);
    expect(movePager(p, 'bottom', lines, 20).top).toBe(81);
    const found = findMatch({ ...p, query: 'line 50' }, lines, 1, 20);
    expect(found.match).toBe(49);
    expect(found.top).toBe(47);
    expect(found.message).toBe('match 1 of 1');
    expect(findMatch({ ...p, query: 'nowhere' }, lines, 1, 20).message).toBe('not found: nowhere');
    const two = { ...p, query: 'line 1' };
    const first = findMatch(two, lines, 1, 20);
    const after = movePager(first, 'next-match', lines, 20);
    expect(after.match).toBeGreaterThan(first.match!);
  });
});

describe('the output area in the console', () => {
  it('PgUp scrolls back to the top of a 46-line help, PgDn returns, a new command follows the newest again', async () => {
    const t = consoleWith(`opsdeck commands\n${numbered(45)}`);
    await t.run('help');
    const frame = () => frameOf(t.store);
    expect(frame()).toContain('line 45');
    expect(frame()).not.toContain('opsdeck commands');
    expect(frame()).toMatch(/↑ \d+ more lines above/);
    t.press(k('pageup'), k('pageup'));
    expect(t.store.get().logScroll).toBeGreaterThan(0);
    expect(frame()).toContain('opsdeck commands');
    expect(frame()).toMatch(/↓ \d+ newer/);
    t.press(k('pagedown'), k('pagedown'), k('pagedown'));
    expect(t.store.get().logScroll).toBe(0);
    t.press(k('wheelup'));
    expect(t.store.get().logScroll).toBe(3);
    await t.run('help');
    expect(t.store.get().logScroll).toBe(0);
  });

  it('Ctrl-O opens the newest result in the pager; / searches, n moves, o hands it to $PAGER, q closes', async () => {
    const t = consoleWith(`first\n${numbered(200)}`);
    await t.run('services list');
    t.press(k('o', { ctrl: true }));
    expect(t.store.get().pager?.title).toBe('› services list');
    expect(frameOf(t.store)).toMatch(/› services list.*lines 1–\d+ of 201/);
    t.press(...typed('/line 150'), k('enter'));
    expect(t.store.get().pager?.match).toBe(150);
    const found = frameOf(t.store);
    expect(found).toContain('line 150');
    expect(found).toContain('match 1 of 1');
    expect(found).toContain('o $PAGER');
    t.press(...typed('o'));
    expect(t.paged).toEqual([`first\n${numbered(200)}\n`]);
    t.press(...typed('q'));
    expect(t.store.get().pager).toBeNull();
  });

  it('with nothing to read, Ctrl-O says so', () => {
    const t = consoleWith('');
    t.press(k('o', { ctrl: true }));
    expect(t.store.get().pager).toBeNull();
    expect(t.store.get().notice).toMatch(/no output yet/);
  });
});

describe('mouse wheel reports', () => {
  it('decodes SGR wheel up and down, and ignores clicks', () => {
    const p = new KeyParser();
    expect(p.feed('\x1b[<64;10;5M\x1b[<65;10;5M\x1b[<0;3;3M\x1b[<0;3;3m')).toEqual([k('wheelup'), k('wheeldown'), { kind: 'char', text: '' }, { kind: 'char', text: '' }]);
    expect(p.feed('\x1b[<6')).toEqual([]);
    expect(p.feed('4;1;1M')).toEqual([k('wheelup')]);
  });
});
