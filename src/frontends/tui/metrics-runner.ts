import { planRange, type RangeQuery } from '../../core/metrics.js';
import type { ChartSeries } from '../../render/chart/chart-series.js';
import { MAX_SERIES_PER_CHART, rangeWindow, type MetricsPaneState, type MetricsQuery } from './metrics-state.js';
import type { ConsoleState } from './state.js';
import type { Store } from './store.js';

/** Runs one range query; rejects with the backend's error. The signal aborts it when the pane closes. */
export type FetchRange = (q: RangeQuery, signal: AbortSignal) => Promise<{ series: ChartSeries[]; warnings: string[] }>;

/**
 * Keeps the metrics pane's queries live while the pane is open. Each query is its own request on
 * every tick, and a query whose request is still out is skipped rather than asked again (the
 * Refresher's drop-if-busy rule, per query), so one slow query neither delays the others nor piles
 * up. A request that outlives its bound is abandoned and shown as an error; closing the pane aborts
 * every request. Nothing here runs on the keystroke path: answers arrive as store updates.
 */
export class MetricsRunner {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<number, AbortController>();
  private active = false;
  private readonly checked = new Map<string, string | null>();

  constructor(
    private readonly store: Store<ConsoleState>,
    private readonly fetch: FetchRange,
    private readonly now: () => number,
    /** A syntax check (the PromQL linter, when loaded): a problem is shown and nothing is sent. */
    private readonly check?: (expr: string) => string | null | undefined,
  ) {}

  get running(): boolean {
    return this.active;
  }

  /** Requests currently out, for tests and the pane's "loading" marks. */
  get pending(): number {
    return this.inFlight.size;
  }

  start(): Promise<void> {
    if (this.active) return Promise.resolve();
    this.active = true;
    return this.refresh();
  }

  /** Aborts every request and stops the clock; the last answers stay on screen for next time. */
  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const ac of this.inFlight.values()) ac.abort(new Error('the metrics pane was closed'));
    this.inFlight.clear();
    this.update((m) => (m.queries.some((q) => q.loading) ? { ...m, queries: m.queries.map((q) => (q.loading ? { ...q, loading: false } : q)) } : m));
  }

  /** Refreshes every query that is not already waiting for an answer; resolves when this round settles. */
  refresh(): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.schedule();
    const m = this.store.get().metrics;
    // A query edited, removed or replaced (Esc, a cross-view) is gone: its answer has nowhere to
    // go, so its request is dropped now rather than left to load a slow server until its bound.
    const live = new Set(m.queries.map((q) => q.id));
    for (const [id, ac] of this.inFlight) {
      if (live.has(id)) continue;
      this.inFlight.delete(id);
      ac.abort(new Error('the query was removed'));
    }
    return Promise.all(m.queries.filter((q) => !this.inFlight.has(q.id)).map((q) => this.run(q, m))).then(() => undefined);
  }

  /** Re-arms the clock (after an interval change, or after a refresh that came early). */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.active) return;
    this.timer = setTimeout(() => void this.refresh(), this.store.get().metrics.intervalMs);
    this.timer.unref?.();
  }

  private async run(q: MetricsQuery, m: MetricsPaneState): Promise<void> {
    const problem = this.syntaxProblem(q.expr);
    if (problem !== null) return this.updateQuery(q.id, (x) => ({ ...x, error: problem, loading: false }));
    const { start, end } = rangeWindow(m, this.now());
    const plan = planRange(start, end, undefined, Math.max(20, this.store.get().cols));
    const ac = new AbortController();
    this.inFlight.set(q.id, ac);
    // A hung server must not keep a query "loading" forever: give up after a bound and say so.
    const limitMs = Math.min(30_000, Math.max(5_000, 3 * m.intervalMs));
    const limit = setTimeout(() => ac.abort(new Error(`no answer within ${limitMs / 1000}s`)), limitMs);
    limit.unref?.();
    this.updateQuery(q.id, (x) => ({ ...x, loading: true }));
    try {
      const answer = await abortable(this.fetch({ ...plan, expr: q.expr }, ac.signal), ac.signal);
      const shown = answer.series.slice(0, MAX_SERIES_PER_CHART);
      this.updateQuery(q.id, (x) => ({ ...x, series: shown, hiddenSeries: answer.series.length - shown.length, window: { start: plan.start, end: plan.end }, fetchedAt: this.now(), error: null, warnings: answer.warnings, loading: false }));
      this.store.set((s) => ({ ...s, lastRefresh: this.now() }));
    } catch (e) {
      // Closing the pane is not an error of the query.
      if (this.inFlight.get(q.id) !== ac || !this.active) return;
      const message = oneLine(e instanceof Error ? e.message : String(e));
      this.updateQuery(q.id, (x) => ({ ...x, error: message, loading: false }));
    } finally {
      clearTimeout(limit);
      if (this.inFlight.get(q.id) === ac) this.inFlight.delete(q.id);
    }
  }

  private syntaxProblem(expr: string): string | null {
    if (!this.check) return null;
    if (!this.checked.has(expr)) {
      const problem = this.check(expr);
      // Not cached while the linter is still loading (undefined means "cannot tell yet").
      if (problem === undefined) return null;
      if (this.checked.size > 200) this.checked.clear();
      this.checked.set(expr, problem === null ? null : oneLine(problem));
    }
    return this.checked.get(expr) ?? null;
  }

  private updateQuery(id: number, change: (q: MetricsQuery) => MetricsQuery): void {
    // The query may have been removed or edited meanwhile; its answer then has nowhere to go.
    this.update((m) => (m.queries.some((q) => q.id === id) ? { ...m, queries: m.queries.map((q) => (q.id === id ? change(q) : q)) } : m));
  }

  private update(change: (m: MetricsPaneState) => MetricsPaneState): void {
    this.store.set((s) => {
      const metrics = change(s.metrics);
      return metrics === s.metrics ? s : { ...s, metrics };
    });
  }
}

/** Settles with the promise, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
