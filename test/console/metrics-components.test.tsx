import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/frontends/tui/components/App.js';
import { shortDuration } from '../../src/frontends/tui/components/MetricsPane.js';
import { querySlots } from '../../src/frontends/tui/metrics-pane-layout.js';
import { newQuery, type MetricsQuery } from '../../src/frontends/tui/metrics-state.js';
import { initialState, type ConsoleState } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { lineOf } from '../../src/shell/line-editor.js';

const T0 = 1_764_000_000; // unix seconds, on a minute boundary
const ramp = (n: number, f: (i: number) => number): Array<[number, number | null]> => Array.from({ length: n }, (_, i) => [T0 + i * 15, f(i)]);

function answered(expr: string, change: Partial<MetricsQuery> = {}): MetricsQuery {
  return {
    ...newQuery(expr),
    series: [
      { label: `${expr}{instance="a:9100"}`, points: ramp(40, (i) => i) },
      { label: `${expr}{instance="b:9100"}`, points: ramp(40, (i) => 40 - i) },
    ],
    window: { start: T0, end: T0 + 39 * 15 },
    fetchedAt: Date.now() - 3_000,
    ...change,
  };
}

function storeWith(update: (s: ConsoleState) => ConsoleState, rows = 30): Store<ConsoleState> {
  const store = new Store(initialState(100, rows, { name: 'dev', production: false, readOnly: false }, [], false));
  store.set((s) => update({ ...s, pane: 'metrics', focus: 'pane', metrics: { ...s.metrics, backend: 'prometheus', loaded: true } }));
  return store;
}

describe('metrics pane (ink-testing-library)', () => {
  it('draws a braille chart per query with its legend (current, min, max), the data age, and the pane keys', () => {
    const store = storeWith((s) => ({ ...s, metrics: { ...s.metrics, queries: [answered('node_load1'), answered('up')], selected: 1 } }), 40);
    const { lastFrame, unmount } = render(<App store={store} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/metrics {2}· {2}saved queries {2}· {2}2 queries {2}· {2}every 5s {2}· {2}last 1h {2}· {2}braille {2}· {2}data 3(\.\d)?s ago/);
    expect(frame).toMatch(/ {2}1 node_load1 {2}2 series · data 3(\.\d)?s ago/);
    expect(frame).toMatch(/▶ 2 up {2}2 series/);
    expect(frame).toMatch(/● node_load1\{instance="a:9100"\}\s+cur 39\s+min 0\s+max 39/);
    expect(frame).toMatch(/● up\{instance="b:9100"\}\s+cur 1\s+min 1\s+max 40/);
    // Braille dots are on screen, and the time axis.
    expect(frame).toMatch(/[\u2801-\u28ff]/);
    expect(frame).toMatch(/└┬?─+┬/);
    expect(frame).toMatch(/a add · e edit · d remove · j\/k select · b block · \+\/- interval · <\/> range/);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(39);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    unmount();
  });

  it('the chart cursor shows the time and each series\' value at it on the selected query only', () => {
    const store = storeWith((s) => ({ ...s, metrics: { ...s.metrics, queries: [answered('node_load1'), answered('up')], selected: 1, cursor: 0 } }), 40);
    const { lastFrame, unmount } = render(<App store={store} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/● node_load1\{instance="a:9100"\}\s+cur 39\s+min 0\s+max 39/);
    expect(frame).toMatch(/● up\{instance="a:9100"\}\s+16:00:\d\d 0\s+min 0\s+max 39/);
    expect(frame).toMatch(/● up\{instance="b:9100"\}\s+16:00:\d\d 40\s+min 1\s+max 40/);
    unmount();
  });

  it('the header shows a fixed range in effect, and the range editor with the reason a typed range was refused', () => {
    const start = new Date(2026, 11, 7, 10, 0).getTime();
    const fixed = storeWith((s) => ({ ...s, metrics: { ...s.metrics, queries: [answered('up')], rangeStart: start, rangeMs: 7_200_000 } }));
    const shown = render(<App store={fixed} />);
    expect(shown.lastFrame()).toMatch(/every 5s {2}· {2}2026-12-07T10:00 \+2h {2}· {2}braille/);
    shown.unmount();
    const editing = storeWith((s) => ({ ...s, focus: 'range', metrics: { ...s.metrics, queries: [answered('up')], rangeEdit: { line: lineOf('2x'), error: 'invalid time range "2x"' } } }));
    const { lastFrame, unmount } = render(<App store={editing} />);
    expect(lastFrame()).toMatch(/time range› 2x +✗ invalid time range "2x"/);
    expect(lastFrame()).toMatch(/type 1h, 30m, 2d or 2026-12-07T10:00\/2h · Enter keep · Esc cancel/);
    unmount();
  });

  it('shows a query\'s last error next to its kept chart, and the error in full where no chart exists yet', () => {
    const store = storeWith((s) => ({
      ...s,
      metrics: {
        ...s.metrics,
        mode: 'block',
        queries: [answered('up', { error: 'http://prom:9090 is unreachable: connect ECONNREFUSED', fetchedAt: Date.now() - 42_000 }), { ...newQuery('rate(x[5m)'), error: 'the server rejected the query: 1:10: parse error: unclosed left bracket' }],
      },
    }));
    const { lastFrame, unmount } = render(<App store={store} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/1 up {2}2 series · data 4[23]s ago {2}✗ http:\/\/prom:9090 is unreachable/);
    expect(frame).toMatch(/● up\{instance="a:9100"\}/);
    expect(frame).toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(frame).toMatch(/2 rate\(x\[5m\) {2}✗ the server rejected the query/);
    expect(frame).toMatch(/^the server rejected the query: 1:10: parse error: unclosed left bracket$/m);
    unmount();
  });

  it('the inline editor replaces the header, and many queries are windowed around the selection', () => {
    const queries = Array.from({ length: 9 }, (_, i) => answered(`q${i}`));
    const store = storeWith((s) => ({ ...s, focus: 'query', metrics: { ...s.metrics, queries, selected: 7, editing: { index: null, line: lineOf('sum(rate(http_requests_total[5m]))') } } }), 24);
    const { lastFrame, unmount } = render(<App store={store} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/add query› sum\(rate\(http_requests_total\[5m\]\)\)/);
    expect(frame).toContain('Enter keep · Esc cancel');
    expect(frame).toMatch(/▶ 8 q7/);
    expect(frame).not.toMatch(/ 1 q0 /);
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    unmount();
  });

  it('without a backend or queries the pane says what to do; a saved-file warning is shown', () => {
    const store = storeWith((s) => ({ ...s, metrics: { ...s.metrics, backend: null, warning: 'saved queries /x/dev.json were unreadable (it is not JSON); kept as /x/dev.json.bak, starting with an empty list' } }));
    const { lastFrame, unmount } = render(<App store={store} />);
    expect(lastFrame()).toMatch(/⚠ saved queries \/x\/dev\.json were unreadable/);
    expect(lastFrame()).toMatch(/no metrics backend: add {2}metrics: \{type: prometheus/);
    expect(lastFrame()).toMatch(/no queries: press a to add one, or run {2}metrics watch EXPR/);
    unmount();
  });

  it('slots and short durations', () => {
    expect(querySlots(2, 0, 20)).toEqual({ first: 0, shown: 2, each: 10 });
    expect(querySlots(9, 7, 12)).toEqual({ first: 5, shown: 3, each: 4 });
    expect(querySlots(3, 0, 2)).toEqual({ first: 0, shown: 1, each: 2 });
    expect([5_000, 60_000, 3_600_000, 7 * 86_400_000, 1_500].map(shortDuration)).toEqual(['5s', '1m', '1h', '7d', '1.5s']);
  });
});
