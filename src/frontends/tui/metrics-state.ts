import type { ChartSeries } from '../../render/chart/chart-series.js';
import { PLAIN, type Style } from '../../render/style.js';
import { lineOf, type LineState } from '../../shell/line-editor.js';
import { localStamp, parseTimeRange, rangeLength, timeRangeText } from '../../core/time-range.js';

/** One live query of the metrics pane and what its last refresh brought. */
export interface MetricsQuery {
  /** Stable across edits of other queries, so an answer lands on the query that asked. */
  id: number;
  expr: string;
  /** The last good answer; kept when a later refresh fails. Null until the first answer. */
  series: ChartSeries[] | null;
  /** The window the series were asked for (unix seconds), so the chart does not jitter. */
  window: { start: number; end: number } | null;
  /** Series the answer had beyond what is drawn. */
  hiddenSeries: number;
  fetchedAt: number | null;
  error: string | null;
  warnings: string[];
  loading: boolean;
}

export type ChartMode = 'braille' | 'block';

export interface MetricsPaneState {
  queries: MetricsQuery[];
  selected: number;
  mode: ChartMode;
  intervalMs: number;
  rangeMs: number;
  /** The chart cursor on the selected query (`←`/`→`): a plot column from the left, or null. */
  cursor: number | null;
  /** A typed range's fixed start (unix ms), or null: the window ends now. */
  rangeStart: number | null;
  /** The typed time range editor (`t`): its line, and why the last Enter did not take it. */
  rangeEdit: { line: LineState; error: string | null } | null;
  /** Where the shown list came from when it is not the profile's saved list ("metrics watch", "service orders"). */
  transient: string | null;
  /** The saved list while a transient one is shown; Esc goes back to it. */
  saved: string[] | null;
  /** The inline query editor: the index being edited, or null when adding. */
  editing: { index: number | null; line: LineState } | null;
  /** Saved queries were read from disk (once, when the pane first opens). */
  loaded: boolean;
  /** A problem with the saved-query file, shown in the pane until the next change. */
  warning: string | null;
  /** Colours of the charts; set by the front end (plain when colour is off). */
  style: Style;
  /** The profile's metrics backend type, or null when the profile has none (the pane says how to add one). */
  backend: string | null;
}

/** Refresh intervals `+`/`-` step through. */
export const INTERVALS_MS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 300_000];
/** Time ranges `>`/`<` step through. */
export const RANGES_MS = [5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000, 7 * 86_400_000];
/** The most series one chart draws; the rest are counted, so a query matching 10k series stays cheap. */
export const MAX_SERIES_PER_CHART = 12;

/** Bounds of the pane's list (and of its saved file), so it cannot fire thousands of queries per tick. */
export const MAX_QUERIES = 50;
export const MAX_EXPR = 10_000;

export function initialMetrics(): MetricsPaneState {
  return { queries: [], selected: 0, mode: 'braille', intervalMs: 5_000, rangeMs: 3_600_000, rangeStart: null, rangeEdit: null, cursor: null, transient: null, saved: null, editing: null, loaded: false, warning: null, style: PLAIN, backend: null };
}

let nextId = 0;

export function newQuery(expr: string): MetricsQuery {
  return { id: ++nextId, expr, series: null, window: null, hiddenSeries: 0, fetchedAt: null, error: null, warnings: [], loading: false };
}

/** Replaces the shown list (a saved list loaded, or a watch / cross-view opening its own). */
export function showQueries(m: MetricsPaneState, exprs: readonly string[], transient: string | null): MetricsPaneState {
  const saved = transient === null ? null : (m.saved ?? (m.transient === null ? m.queries.map((q) => q.expr) : null));
  return { ...m, queries: exprs.map(newQuery), selected: 0, transient, saved, editing: null };
}

export function startEdit(m: MetricsPaneState, index: number | null): MetricsPaneState {
  const text = index === null ? '' : (m.queries[index]?.expr ?? '');
  if (index !== null && !m.queries[index]) return m;
  return { ...m, editing: { index, line: lineOf(text) } };
}

/** Commits the inline editor: adds or replaces a query. An empty line changes nothing. */
export function commitEdit(m: MetricsPaneState): MetricsPaneState {
  const e = m.editing;
  if (!e) return m;
  const expr = e.line.text.trim();
  if (expr === '') return { ...m, editing: null };
  // Refused here, with the editor kept open, so the saved file never holds what loading would reject.
  if (expr.length > MAX_EXPR) return { ...m, warning: `a query is at most ${MAX_EXPR} characters; this one has ${expr.length}` };
  if (e.index === null && m.queries.length >= MAX_QUERIES) return { ...m, warning: `the pane holds at most ${MAX_QUERIES} queries; remove one first (d)` };
  if (e.index === null) return { ...m, editing: null, queries: [...m.queries, newQuery(expr)], selected: m.queries.length };
  if (m.queries[e.index]?.expr === expr) return { ...m, editing: null };
  // An edited query is a new query: its old chart and error belong to the old expression.
  const queries = m.queries.map((q, i) => (i === e.index ? newQuery(expr) : q));
  return { ...m, editing: null, queries };
}

export function removeQuery(m: MetricsPaneState, index: number): MetricsPaneState {
  if (!m.queries[index]) return m;
  const queries = m.queries.filter((_, i) => i !== index);
  return { ...m, queries, selected: Math.max(0, Math.min(m.selected, queries.length - 1)) };
}

/** One step along a list of choices from the current value (which need not be on the list). */
export function stepChoice(choices: readonly number[], current: number, dir: 1 | -1): number {
  if (dir > 0) return choices.find((c) => c > current) ?? current;
  return [...choices].reverse().find((c) => c < current) ?? current;
}

export function exprsOf(m: MetricsPaneState): string[] {
  return m.queries.map((q) => q.expr);
}

/** `t`: the range editor, prefilled with the range in effect. */
export function startRangeEdit(m: MetricsPaneState): MetricsPaneState {
  return { ...m, rangeEdit: { line: lineOf(timeRangeText({ startMs: m.rangeStart, lengthMs: m.rangeMs })), error: null } };
}

/** Enter in the range editor: the typed range takes effect, or the editor stays open with the reason. */
export function commitRangeEdit(m: MetricsPaneState): MetricsPaneState {
  if (!m.rangeEdit) return m;
  try {
    const r = parseTimeRange(m.rangeEdit.line.text);
    return { ...m, rangeEdit: null, rangeStart: r.startMs, rangeMs: r.lengthMs };
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    return { ...m, rangeEdit: { ...m.rangeEdit, error: `${(e as Error).message}${hint ? ` (${hint})` : ''}` } };
  }
}

/** The window a refresh asks for (unix seconds): the typed start and length, or the length up to now. */
export function rangeWindow(m: MetricsPaneState, nowMs: number): { start: number; end: number } {
  const start = m.rangeStart ?? nowMs - m.rangeMs;
  return { start: start / 1000, end: (start + m.rangeMs) / 1000 };
}

/** The header's words for the range: `last 1h`, or `2026-12-07T10:00 +2h`. */
export function rangeLabel(m: MetricsPaneState): string {
  return m.rangeStart === null ? `last ${rangeLength(m.rangeMs)}` : `${localStamp(m.rangeStart)} +${rangeLength(m.rangeMs)}`;
}
