import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../src/commands/table.js';
import type { RangeQuery } from '../../src/core/metrics.js';
import type { ServiceRow } from '../../src/frontends/tui/registry-levels.js';
import { parseArgs } from '../../src/frontends/cli/build-program.js';
import { consoleActionFor } from '../../src/frontends/tui/console-actions.js';
import { Controller, type ControllerDeps } from '../../src/frontends/tui/controller.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { loadSavedQueries, savedQueriesPath, writeSavedQueries, type LoadedQueries, type SavedQueries } from '../../src/frontends/tui/saved-queries.js';
import { serviceQueries } from '../../src/frontends/tui/service-queries.js';
import { commitEdit, initialMetrics, MAX_EXPR, MAX_QUERIES, newQuery, startEdit } from '../../src/frontends/tui/metrics-state.js';
import { describeProblem, lintPromql } from '../../src/shell/promql/lint.js';
import { initialState, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { stubDeps } from '../helpers/controller-stub.js';
import { Store } from '../../src/frontends/tui/store.js';

const key = (name: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }> = {}): KeyEvent => ({ kind: 'key', name, ctrl: false, meta: false, shift: false, ...mods }) as KeyEvent;
const chars = (text: string): KeyEvent[] => [...text].map((c) => ({ kind: 'char', text: c }));
const settle = () => new Promise((r) => setTimeout(r, 0));

const svc = (name: string): PaneRow => ({ key: `embedded/public/DEFAULT_GROUP/${name}`, cells: ['public', 'DEFAULT_GROUP', name, '1', '1/1', '0'], tone: 'ok', data: { kind: 'service', service: { backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name, instances: 1, healthy: 1, disabled: 0 }, address: [], caps: [] } satisfies ServiceRow });

interface Call {
  q: RangeQuery;
  signal: AbortSignal;
  resolve(series: Array<[number, number]>): void;
  reject(e: Error): void;
}

/** A controller with a fake metrics backend whose answers the test hands out one by one. */
function setup(opts: { saved?: LoadedQueries; metricsSpec?: Record<string, unknown>; autoAnswer?: (expr: string) => Array<[number, number]> | Error; saveTo?: string; lint?: boolean; promql?: ControllerDeps['completion']['promql'] } = {}) {
  const store = new Store<ConsoleState>(initialState(100, 30, { name: 'dev', production: false, readOnly: false }, [], false));
  const calls: Call[] = [];
  const saves: SavedQueries[] = [];
  let now = 1_000_000;
  const deps: ControllerDeps = {
    ...stubDeps(store),
    completion: { services: () => [], instances: () => [], configIds: () => [], locks: () => [], profiles: () => ['dev'], namespaces: () => ['public'], groups: () => ['DEFAULT_GROUP'], ...(opts.promql ? { promql: opts.promql } : {}) },
    loadView: async (view) => (view.pane === 'services' && view.level === 'top' ? [svc('orders'), svc('pay"ments')] : []),
    now: () => now,
    metrics: {
      fetchRange: (q, signal) =>
        new Promise((resolve, reject) => {
          const toSeries = (points: Array<[number, number]>) => ({ series: [{ label: q.expr, points }], warnings: [] });
          const auto = opts.autoAnswer?.(q.expr);
          if (auto instanceof Error) return reject(auto);
          if (auto) return resolve(toSeries(auto));
          calls.push({ q, signal, resolve: (p) => resolve(toSeries(p)), reject });
        }),
      loadSaved: () => opts.saved ?? { saved: { queries: [] }, warning: null, writable: true },
      save: (s) => {
        saves.push(structuredClone(s));
        if (opts.saveTo) writeSavedQueries(opts.saveTo, s);
      },
      serviceQueries: (service) => serviceQueries({ type: 'prometheus', ...opts.metricsSpec }, service),
      ...(opts.lint
        ? {
            check: (expr: string) => {
              const p = lintPromql(expr)[0];
              return p ? describeProblem(expr, p).split('\n')[0]! : null;
            },
          }
        : {}),
    },
  };
  const c = new Controller(deps);
  const press = (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e));
  const m = () => store.get().metrics;
  return { store, c, press, calls, saves, m, advance: (ms: number) => (now += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('metrics pane: queries', () => {
  it('opens on the saved queries, and adds, edits and removes queries from the pane, saving each change', async () => {
    const t = setup({ saved: { saved: { queries: ['up'], intervalMs: 10_000 }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'));
    expect(t.store.get().pane).toBe('metrics');
    expect(t.m().queries.map((q) => q.expr)).toEqual(['up']);
    expect(t.m().intervalMs).toBe(10_000);
    expect(t.calls.map((c) => c.q.expr)).toEqual(['up']);

    t.press(...chars('a'));
    expect(t.store.get().focus).toBe('query');
    t.press(...chars('rate(x[5m])'), key('a', { ctrl: true }), ...chars('sum('), key('e', { ctrl: true }), ...chars(')'), key('enter'));
    expect(t.store.get().focus).toBe('pane');
    expect(t.m().queries.map((q) => q.expr)).toEqual(['up', 'sum(rate(x[5m]))']);
    expect(t.m().selected).toBe(1);
    expect(t.saves.at(-1)).toEqual({ queries: ['up', 'sum(rate(x[5m]))'], intervalMs: 10_000, rangeMs: 3_600_000, mode: 'braille' });
    // The new query is asked at once; "up" is still waiting for its first answer, so it is not asked twice.
    expect(t.calls.map((c) => c.q.expr)).toEqual(['up', 'sum(rate(x[5m]))']);

    t.press(...chars('k'), ...chars('e'), key('backspace'), key('backspace'), ...chars('up == 0'), key('enter'));
    expect(t.m().queries.map((q) => q.expr)).toEqual(['up == 0', 'sum(rate(x[5m]))']);
    expect(t.saves.at(-1)?.queries).toEqual(['up == 0', 'sum(rate(x[5m]))']);

    // Esc in the editor cancels; an empty line adds nothing.
    t.press(...chars('a'), ...chars('junk'), key('escape'));
    t.press(...chars('a'), key('enter'));
    expect(t.m().queries).toHaveLength(2);

    t.press(...chars('j'), ...chars('d'));
    expect(t.m().queries.map((q) => q.expr)).toEqual(['up == 0']);
    t.press(...chars('x'));
    expect(t.m().queries).toEqual([]);
    expect(t.saves.at(-1)?.queries).toEqual([]);
    t.c.dispose();
  });

  it('the query editor completes PromQL with the prompt\'s engine: metric names, then label values, written as plain PromQL', async () => {
    const { loadPromql } = await import('../../src/shell/promql/load.js');
    await loadPromql();
    const promql = {
      metricNames: () => ['http_requests_total', 'http_request_duration_seconds_bucket', 'up'],
      metricInfo: () => undefined,
      labelNames: () => ['handler', 'job'],
      labelValues: (label: string) => (label === 'handler' ? ['/metrics', '/api'] : []),
    };
    const t = setup({ promql });
    t.press(key('escape'), ...chars('4'), ...chars('a'));
    expect(t.store.get().focus).toBe('query');
    t.press(...chars('http_requests_to'), key('tab'));
    expect(t.m().editing!.line.text).toBe('http_requests_total');
    t.press(...chars('{handler='), key('tab'));
    const menu = t.store.get().completion!;
    expect(menu.open).toBe(true);
    expect(menu.result.items.map((i) => i.value)).toEqual(expect.arrayContaining(['/metrics', '/api']));
    const at = menu.result.items.findIndex((i) => i.value === '/metrics');
    for (let i = 0; i < at; i++) t.press(key('down'));
    t.press(key('enter'));
    // Plain PromQL in the editor: no shell quoting, the cursor after the closing quote.
    expect(t.m().editing!.line.text).toBe('http_requests_total{handler="/metrics"');
    expect(t.store.get().focus).toBe('query');
    t.press(...chars('}'), key('enter'));
    expect(t.m().queries.map((q) => q.expr)).toContain('http_requests_total{handler="/metrics"}');
  });

  it('interval, range and chart mode change with keys and are saved; the range sets the query window', async () => {
    const t = setup({ saved: { saved: { queries: ['up'] }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'));
    t.calls[0]!.resolve([[1, 1]]);
    await settle();
    t.press(...chars('+'), ...chars('+'), ...chars('-'));
    expect(t.m().intervalMs).toBe(10_000);
    t.press(...chars('<'));
    expect(t.m().rangeMs).toBe(30 * 60_000);
    t.press(...chars('b'));
    expect(t.m().mode).toBe('block');
    expect(t.saves.at(-1)).toEqual({ queries: ['up'], intervalMs: 10_000, rangeMs: 1_800_000, mode: 'block' });
    // The range change refreshed at once with a 30-minute window aligned to its step.
    const last = t.calls.at(-1)!.q;
    expect(last.end - last.start).toBeGreaterThan(1800 - 2 * last.step);
    expect(last.end - last.start).toBeLessThanOrEqual(1800);
    expect(Number.isInteger(last.start / last.step)).toBe(true);
    t.c.dispose();
  });

  it('t types the range: prefilled with the range in effect; a bad range keeps the editor open with the reason; a start and length fixes the window', async () => {
    const t = setup({ saved: { saved: { queries: ['up'] }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'));
    t.calls[0]!.resolve([[1, 1]]);
    await settle();
    t.press(...chars('t'));
    expect(t.store.get().focus).toBe('range');
    expect(t.m().rangeEdit?.line.text).toBe('1h');
    t.press(key('u', { ctrl: true }), ...chars('2x'), key('enter'));
    expect(t.store.get().focus).toBe('range');
    expect(t.m().rangeEdit?.error).toMatch(/invalid time range "2x"/);
    expect(t.m().rangeMs).toBe(3_600_000);
    t.press(key('backspace'), ...chars('d'), key('enter'));
    expect(t.store.get().focus).toBe('pane');
    expect(t.m()).toMatchObject({ rangeMs: 2 * 86_400_000, rangeStart: null, rangeEdit: null });
    expect(t.saves.at(-1)?.rangeMs).toBe(2 * 86_400_000);
    t.calls.at(-1)!.resolve([[1, 1]]);
    await settle();
    const start = Date.UTC(2026, 11, 7, 10, 0) / 1000;
    t.press(...chars('t'), key('u', { ctrl: true }), ...chars('2026-12-07T10:00Z/2h'), key('enter'));
    expect(t.m()).toMatchObject({ rangeMs: 2 * 3_600_000, rangeStart: start * 1000 });
    const q = t.calls.at(-1)!.q;
    expect(q.start).toBeGreaterThanOrEqual(start - q.step);
    expect(q.end).toBeLessThanOrEqual(start + 7200);
    expect(q.end).toBeGreaterThan(start + 7200 - 2 * q.step);
    // Reopened, the editor reads the fixed range back (in local time); Esc leaves it as it was.
    t.press(...chars('t'));
    expect(t.m().rangeEdit?.line.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d\/2h$/);
    t.press(key('escape'));
    expect(t.m()).toMatchObject({ rangeEdit: null, rangeStart: start * 1000 });
    t.c.dispose();
  });

  it('←/→ move a cursor over the selected chart: ← starts at the newest column, stops at the plot\'s right edge, clears past the left edge or with Esc', async () => {
    const t = setup({ saved: { saved: { queries: ['up', 'down'] }, warning: null, writable: true }, autoAnswer: () => Array.from({ length: 61 }, (_, i): [number, number] => [1000 - 3600 + i * 60, i]) });
    t.press(key('escape'), ...chars('4'));
    await settle();
    await settle();
    expect(t.m().queries[0]!.series).not.toBeNull();
    t.press(key('left'));
    const newest = t.m().cursor!;
    expect(newest).toBeGreaterThan(40);
    expect(newest).toBeLessThan(100);
    t.press(key('right'));
    expect(t.m().cursor).toBe(newest);
    t.press(key('left'), key('left'));
    expect(t.m().cursor).toBe(newest - 2);
    t.press(key('escape'));
    expect(t.m().cursor).toBeNull();
    expect(t.store.get().focus).toBe('pane');
    t.press(key('right'));
    expect(t.m().cursor).toBe(0);
    t.press(key('left'));
    expect(t.m().cursor).toBeNull();
    t.press(key('right'), key('right'), ...chars('j'));
    expect(t.m()).toMatchObject({ cursor: null, selected: 1 });
    t.c.dispose();
  });

  it('shows each query\'s last error and keeps its last good chart and data age', async () => {
    const t = setup({ saved: { saved: { queries: ['up', 'bad('] }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'));
    t.calls[0]!.resolve([[10, 1], [20, 1]]);
    t.calls[1]!.reject(new Error('the server rejected the query: parse error: unclosed left parenthesis'));
    await settle();
    const [up, bad] = t.m().queries;
    expect(up!.series).toHaveLength(1);
    expect(up!.fetchedAt).toBe(1_000_000);
    expect(up!.error).toBeNull();
    expect(bad!.series).toBeNull();
    expect(bad!.error).toBe('the server rejected the query: parse error: unclosed left parenthesis');

    // The next refresh of "up" fails: the error shows, the old chart and its age stay.
    t.advance(7_000);
    t.press(...chars('R'));
    t.calls[2]!.reject(new Error('http://prom:9090 is unreachable: connect ECONNREFUSED'));
    await settle();
    const up2 = t.m().queries[0]!;
    expect(up2.error).toMatch(/unreachable/);
    expect(up2.series).toBe(up!.series);
    expect(up2.fetchedAt).toBe(1_000_000);
    t.c.dispose();
  });

  it('a query with a syntax error shows the linter\'s problem and is never sent', async () => {
    const t = setup({ lint: true, saved: { saved: { queries: ['up'] }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'), ...chars('a'), ...chars('rate(x[5m)'), key('enter'));
    await settle();
    expect(t.calls.map((c) => c.q.expr)).toEqual(['up']);
    expect(t.m().queries[1]!.error).toMatch(/^invalid PromQL at column \d+: /);
    t.press(...chars('e'), key('backspace'), ...chars('])'), key('enter'));
    expect(t.calls.map((c) => c.q.expr)).toEqual(['up', 'rate(x[5m])']);
    t.c.dispose();
  });

  it('never blocks a key while a query hangs, gives up on it after a bound, and aborts requests when the pane closes', async () => {
    vi.useFakeTimers();
    const t = setup({ saved: { saved: { queries: ['slow'] }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'));
    expect(t.m().queries[0]!.loading).toBe(true);
    // Keys work while the request is out.
    t.press(...chars('a'), ...chars('up'));
    expect(t.m().editing?.line.text).toBe('up');
    t.press(key('escape'));
    // The 5 s interval is 3× = 15 s of patience; meanwhile the ticks do not ask again.
    await vi.advanceTimersByTimeAsync(14_999);
    expect(t.calls).toHaveLength(1);
    expect(t.m().queries[0]!.error).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(t.m().queries[0]!.error).toBe('no answer within 15s');
    expect(t.calls[0]!.signal.aborted).toBe(true);

    // A later request is out when the user switches panes: it is aborted, and it is not an error.
    t.press(...chars('R'));
    const open = t.calls.at(-1)!;
    expect(open.signal.aborted).toBe(false);
    t.press(...chars('1'));
    expect(open.signal.aborted).toBe(true);
    expect(t.m().queries[0]!.loading).toBe(false);
    expect(t.m().queries[0]!.error).toBe('no answer within 15s');
    const before = t.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.calls.length).toBe(before);
    t.c.dispose();
  });

  it('a query edited or removed while its request hangs has that request dropped, not left to load the server', async () => {
    vi.useFakeTimers();
    const t = setup({ saved: { saved: { queries: ['slow_a', 'slow_b'] }, warning: null, writable: true } });
    t.press(key('escape'), ...chars('4'));
    const [a, b] = t.calls;
    expect(a!.q.expr).toBe('slow_a');
    // Editing slow_a makes it a new query: the old request is aborted as the new one goes out.
    t.press(...chars('e'), key('backspace'), ...chars('x'), key('enter'));
    expect(t.m().queries.map((q) => q.expr)).toEqual(['slow_x', 'slow_b']);
    expect(a!.signal.aborted).toBe(true);
    expect(b!.signal.aborted).toBe(false);
    expect(t.calls.at(-1)!.q.expr).toBe('slow_x');
    // Removing slow_b drops its request by the next tick at the latest.
    t.press(...chars('j'), ...chars('d'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(b!.signal.aborted).toBe(true);
    t.c.dispose();
  });
});

describe('metrics pane: services cross-view and metrics watch', () => {
  it('m on a service opens its standard queries with the profile\'s label and templates; Esc goes back to the saved list', async () => {
    const t = setup({
      saved: { saved: { queries: ['up'] }, warning: null, writable: true },
      metricsSpec: { serviceLabel: 'app', serviceQueries: ['up{{label}="{service}"}', 'histogram_quantile(0.99, sum by (le) (rate(http_server_duration_seconds_bucket{{label}="{service}"}[5m])))'] },
    });
    await t.c.refreshPane();
    t.press(key('escape'), ...chars('j'), ...chars('m'));
    await settle();
    const s = t.store.get();
    expect(s.pane).toBe('metrics');
    expect(s.metrics.transient).toBe('service pay"ments');
    expect(s.metrics.queries.map((q) => q.expr)).toEqual(['up{app="pay\\"ments"}', 'histogram_quantile(0.99, sum by (le) (rate(http_server_duration_seconds_bucket{app="pay\\"ments"}[5m])))']);
    // A transient list is not saved over the saved one.
    expect(t.saves).toEqual([]);
    t.press(key('escape'));
    expect(t.m().transient).toBeNull();
    expect(t.m().queries.map((q) => q.expr)).toEqual(['up']);
    t.c.dispose();
  });

  it('S saves a transient list as the profile\'s queries', async () => {
    const t = setup({ saved: { saved: { queries: ['up'] }, warning: null, writable: true } });
    t.c.openMetrics(['rate(a[1m])', 'b'], 'metrics watch', 2_000);
    expect(t.store.get().pane).toBe('metrics');
    expect(t.store.get().focus).toBe('pane');
    expect(t.m().intervalMs).toBe(2_000);
    t.press(...chars('d'));
    expect(t.saves).toEqual([]);
    t.press(...chars('S'));
    expect(t.saves.at(-1)?.queries).toEqual(['b']);
    expect(t.m().transient).toBeNull();
    t.c.dispose();
  });

  it('the default templates use the service label and escape the name; bad templates are a clear config error', () => {
    expect(serviceQueries({ type: 'prometheus' }, 'orders')).toEqual(['up{service="orders"}', 'sum(rate(http_requests_total{service="orders"}[5m]))']);
    expect(() => serviceQueries({ type: 'prometheus', serviceLabel: 'bad-label' }, 'x')).toThrow(/serviceLabel must be a Prometheus label name/);
    expect(() => serviceQueries({ type: 'prometheus', serviceQueries: 'up' }, 'x')).toThrow(/serviceQueries must be a list/);
    expect(() => serviceQueries(undefined, 'x')).toThrow(/no metrics backend/);
  });

  it('escapes the service name for the kind of string each template puts it in', () => {
    const name = `o'b"r\\n\x1b`;
    const spec = { type: 'prometheus', serviceQueries: [`up{job='{service}'}`, 'up{job="{service}"}', 'up{job=~"x|{service}", a=\'{service}\'}', 'up{job=`{service}`}'] };
    const [single, double, both, raw] = serviceQueries(spec, 'pay');
    expect([single, double, both, raw]).toEqual([`up{job='pay'}`, 'up{job="pay"}', `up{job=~"x|pay", a='pay'}`, 'up{job=`pay`}']);
    const out = serviceQueries({ ...spec, serviceQueries: spec.serviceQueries.slice(0, 3) }, name);
    expect(out).toEqual([`up{job='o\\'b"r\\\\n\\x1b'}`, `up{job="o'b\\"r\\\\n\\x1b"}`, `up{job=~"x|o'b\\"r\\\\n\\x1b", a='o\\'b"r\\\\n\\x1b'}`]);
    // Each still parses as PromQL (the old JSON escaping left the single-quoted one broken).
    for (const q of out) expect(lintPromql(q)).toEqual([]);
    expect(() => serviceQueries(spec, 'a`b')).toThrow(/backtick/);
  });

  it('metrics watch typed in the console becomes "open the pane"; -o, --count, --timeout keep it a stream', () => {
    const action = (line: string) => {
      const parsed = parseArgs(COMMANDS, line.split(' '), 'replay', '0');
      if (parsed.kind !== 'command') throw new Error(`not a command: ${line}`);
      return consoleActionFor(parsed.inv, 'dev');
    };
    expect(action('metrics watch up sum(rate(x[1m])) --interval 2s')).toEqual({ kind: 'open-metrics', exprs: ['up', 'sum(rate(x[1m]))'], intervalMs: 2000 });
    expect(action('metrics watch up')).toEqual({ kind: 'open-metrics', exprs: ['up'], intervalMs: 5000 });
    expect(action('metrics watch up -o json')).toBeNull();
    expect(action('metrics watch up --count 2')).toBeNull();
    expect(action('metrics watch up --profile other')).toBeNull();
    expect(action('metrics query up')).toBeNull();
    expect(() => action('metrics watch up --interval 200ms')).toThrow(/at least 1s/);
  });
});

describe('saved queries on disk', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('live per profile under $XDG_STATE_HOME, written atomically and read back', () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-mq-'));
    const path = savedQueriesPath({ XDG_STATE_HOME: dir }, 'prod/eu');
    expect(path).toBe(join(dir, 'opsdeck', 'metrics', 'prod_eu.json'));
    expect(loadSavedQueries(path)).toEqual({ saved: { queries: [] }, warning: null, writable: true });
    writeSavedQueries(path, { queries: ['up', 'sum(rate(x[5m]))'], intervalMs: 2000, rangeMs: 900_000, mode: 'block' });
    expect(loadSavedQueries(path)).toEqual({ saved: { queries: ['up', 'sum(rate(x[5m]))'], intervalMs: 2000, rangeMs: 900_000, mode: 'block' }, warning: null, writable: true });
    writeSavedQueries(path, { queries: ['up'] });
    expect(loadSavedQueries(path).saved.queries).toEqual(['up']);
    // No temp file is left next to it.
    expect(readFileSync(path, 'utf8')).toContain('"up"');
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });

  it('a file longer than the pane allows shows the first queries and is never saved over', () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-mq-'));
    const path = savedQueriesPath({ XDG_STATE_HOME: dir }, 'long');
    const many = Array.from({ length: MAX_QUERIES + 10 }, (_, i) => `up{n="${i}"}`);
    writeSavedQueries(path, { queries: many });
    const loaded = loadSavedQueries(path);
    expect(loaded.saved.queries).toEqual(many.slice(0, MAX_QUERIES));
    expect(loaded.writable).toBe(false);
    expect(loaded.warning).toMatch(new RegExp(`hold ${MAX_QUERIES + 10} queries; the pane shows the first ${MAX_QUERIES}`));
    // A very long query written by hand is still read, not declared malformed.
    writeSavedQueries(path, { queries: ['x'.repeat(MAX_EXPR + 5)] });
    expect(loadSavedQueries(path)).toMatchObject({ warning: null, writable: true });
  });

  it('the editor refuses a query past the bounds instead of saving a file loading would reject', () => {
    const full = { ...initialMetrics(), queries: Array.from({ length: MAX_QUERIES }, (_, i) => newQuery(`up{n="${i}"}`)) };
    const adding = startEdit(full, null);
    const typed = { ...adding, editing: { ...adding.editing!, line: { ...adding.editing!.line, text: 'up' } } };
    const after = commitEdit(typed);
    expect(after.queries).toHaveLength(MAX_QUERIES);
    expect(after.warning).toMatch(/at most 50 queries/);
    const long = startEdit({ ...initialMetrics(), queries: [newQuery('up')] }, 0);
    const tooLong = commitEdit({ ...long, editing: { ...long.editing!, line: { ...long.editing!.line, text: 'x'.repeat(MAX_EXPR + 1) } } });
    expect(tooLong.queries[0]!.expr).toBe('up');
    expect(tooLong.warning).toMatch(/at most 10000 characters/);
  });

  it('a malformed file is kept as .bak, the pane starts fresh with a warning, and the next save is a good file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-mq-'));
    const path = savedQueriesPath({ XDG_STATE_HOME: dir }, 'dev');
    writeSavedQueries(path, { queries: [] });
    writeFileSync(path, '{"queries": ["up", ');
    const loaded = loadSavedQueries(path);
    expect(loaded.saved.queries).toEqual([]);
    expect(loaded.warning).toMatch(/were unreadable \(it is not JSON: .*\); kept as .*dev\.json\.bak, starting with an empty list/);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('{"queries": ["up", ');
    expect(existsSync(path)).toBe(false);

    // Through the controller: the warning is shown, and adding a query writes a valid file.
    const t = setup({ saved: loaded, saveTo: path });
    t.press(key('escape'), ...chars('4'));
    expect(t.m().warning).toMatch(/kept as .*\.bak/);
    t.press(...chars('a'), ...chars('up'), key('enter'));
    expect(loadSavedQueries(path).saved.queries).toEqual(['up']);
    expect(t.m().warning).toBeNull();
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('{"queries": ["up", ');
    t.c.dispose();
  });

  it('a wrong shape is malformed too; a file that cannot be moved aside is never overwritten', () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-mq-'));
    const path = join(dir, 'p.json');
    writeFileSync(path, JSON.stringify({ queries: ['up', 42] }));
    expect(loadSavedQueries(path).warning).toMatch(/it is not \{"queries": \["PromQL", \.\.\.\]\}/);
    expect(existsSync(`${path}.bak`)).toBe(true);

    const t = setup({ saved: { saved: { queries: [] }, warning: 'saved queries x are unreadable and could not be moved aside', writable: false } });
    t.press(key('escape'), ...chars('4'), ...chars('a'), ...chars('up'), key('enter'));
    expect(t.m().queries.map((q) => q.expr)).toEqual(['up']);
    expect(t.saves).toEqual([]);
    t.c.dispose();
  });
});
