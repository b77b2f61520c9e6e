import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { bootLines, startBootPainter } from '../../src/frontends/tui/boot-painter.js';
import { App } from '../../src/frontends/tui/components/App.js';
import { initialState, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { lineOf } from '../../src/shell/line-editor.js';

const NOW = 1_700_000_000_000;
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const row = (i: number): PaneRow => ({ key: `svc-${i}`, cells: [`svc-${i}`, '2', '2', i === 3 ? '1' : '0'], tone: i === 3 ? 'warn' : 'ok', data: null });

function state(update: (s: ConsoleState) => ConsoleState): ConsoleState {
  return update(initialState(90, 20, { name: 'local', production: false, readOnly: false }, [], false));
}

const withRows = (n: number, selected = 0) => (s: ConsoleState): ConsoleState => ({
  ...s,
  views: { ...s.views, services: [{ ...s.views.services[0]!, rows: Array.from({ length: n }, (_, i) => row(i)), loading: false, fetchedAt: NOW - 300, selected }] },
});

describe('the boot frame drawn before Ink loads', () => {
  it("shows the pane's list with the same lines Ink draws, and the prompt where Ink puts it", () => {
    const s = state((x) => ({ ...withRows(40, 25)(x), line: lineOf('services li') }));
    const boot = bootLines(s, NOW).map(strip);
    const { lastFrame, unmount } = render(<App store={new Store(s)} tickMs={3_600_000} />);
    const ink = lastFrame()!.split('\n');
    unmount();
    // Status bar, tabs and footer differ (the boot frame says it is loading); the pane and prompt do not.
    expect(boot[2]).toMatch(/^services .*26\/40 .*data 0\.3s ago/);
    const paneStart = 2;
    const paneEnd = boot.findIndex((l, i) => i > paneStart && l === '');
    expect(paneEnd).toBeGreaterThan(paneStart + 5);
    // Ink's "data Xs ago" uses its own clock: compare the rest of each line.
    const age = (l: string) => l.trimEnd().replace(/data \S+ ago/, 'data AGE');
    expect(boot.slice(paneStart, paneEnd).map(age)).toEqual(ink.slice(paneStart, paneEnd).map(age));
    expect(boot.join('\n')).toContain('▶ svc-25');
    const prompt = boot.findIndex((l) => l.startsWith('local› '));
    expect(prompt).toBe(ink.findIndex((l) => l.startsWith('local› ')));
    expect(boot[prompt]).toBe('local› services li ');
  });

  it('says loading until the data is in, then draws the rows; a key redraws only its line', () => {
    const store = new Store(state((s) => s));
    const writes: string[] = [];
    const stop = startBootPainter(store, (t) => void writes.push(t), () => NOW);
    expect(strip(writes.join(''))).toContain('loading…');
    writes.length = 0;
    store.set(withRows(3));
    expect(strip(writes.join(''))).toMatch(/▶ svc-0/);
    writes.length = 0;
    store.set((s) => ({ ...s, line: lineOf('s') }));
    // One line rewritten: the prompt's.
    expect(writes.join('').match(/\x1b\[\d+;1H/g)).toHaveLength(1);
    expect(strip(writes.join(''))).toBe('local› s ');
    stop();
  });
});
