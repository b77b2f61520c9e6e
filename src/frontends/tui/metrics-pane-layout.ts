import { plotColumns } from '../../render/chart/render-chart.js';
import type { MetricsPaneState } from './metrics-state.js';
import type { ConsoleState } from './state.js';

// The metrics pane's geometry, apart from its Ink component: the controller moves the chart
// cursor with it, and the controller must not load Ink (React and yoga) before the boot frame.

/** Lines a query needs at least: its title and a chart of three rows (below that, a sparkline). */
const MIN_BLOCK = 4;

/**
 * Which queries fit in `lines` and how many lines each gets. All of them when they fit at
 * MIN_BLOCK lines each; otherwise a window that keeps the selected query in view.
 */
export function querySlots(count: number, selected: number, lines: number): { first: number; shown: number; each: number } {
  if (count === 0) return { first: 0, shown: 0, each: 0 };
  const shown = Math.max(1, Math.min(count, Math.floor(lines / MIN_BLOCK)));
  const first = Math.max(0, Math.min(count - shown, selected - shown + 1));
  return { first, shown, each: Math.max(1, Math.floor(lines / shown)) };
}

/** Lines above the charts: the header, the saved-file warning, the no-backend note. */
export function headLines(m: MetricsPaneState): number {
  return 1 + (m.warning ? 1 : 0) + (m.backend === null ? 1 : 0);
}

/** The plot columns of the selected query's chart in a pane of this height: where its cursor can go (0: none). */
export function cursorColumns(s: ConsoleState, height: number): number {
  const m = s.metrics;
  const q = m.queries[m.selected];
  if (!q?.series) return 0;
  const slots = querySlots(m.queries.length, m.selected, Math.max(0, height - headLines(m)));
  return plotColumns(q.series, { width: s.cols, height: slots.each - 1, mode: m.mode, style: m.style, ...(q.window ? { start: q.window.start, end: q.window.end } : {}) });
}

