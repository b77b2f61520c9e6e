import type { Style } from '../style.js';
import { blockPlot, blockRow } from './block-plot.js';
import { braillePlot, brailleRow } from './braille-plot.js';
import type { ChartSeries } from './chart-series.js';
import { columnValues } from './column-values.js';
import { displayWidth, truncateToWidth } from './display-width.js';
import { formatSi, formatTick } from './format-si.js';
import { type LegendEntry, legendLines } from './legend-lines.js';
import { niceScale } from './nice-scale.js';
import { blankCells, cellSegments, type PlotCell, type PlotFrame, xFraction, yFraction } from './plot-frame.js';
import { sparkline } from './sparkline.js';
import { type Sample, splitRuns } from './split-runs.js';
import { type Colour, fitLine, paintLine, SERIES_COLOURS, type StyledLine } from './styled-line.js';
import { timeTicks } from './time-ticks.js';

export interface ChartOptions {
  /** Terminal columns; no line of the result is wider. */
  width: number;
  /** Terminal rows; the result has exactly this many lines. */
  height: number;
  style: Style;
  /** `braille` (default): lines of 2×4 dots per cell. `block`: one bar per column. */
  mode?: 'braille' | 'block';
  /** Appended to every value, after its SI prefix: `s`, `B`, `%`. */
  unit?: string;
  /**
   * A cursor on this plot column (0: the left edge; clamped to the plot): a dim line down the
   * empty cells, and the legend shows each series' value there and the column's time (UTC).
   */
  cursor?: number | null;
  /** The time window in unix seconds; defaults to the span of the samples. */
  start?: number;
  end?: number;
  /**
   * Labels for the x axis when x is not time (a cache size, say): given the window and the plot's
   * columns, where to put which label. Default: UTC times.
   */
  xTicks?: (start: number, end: number, columns: number) => Array<{ t: number; text: string }>;
}

interface Prepared {
  label: string;
  colour: Colour;
  runs: Sample[][];
  cur: number | null;
  min: number | null;
  max: number | null;
}

/** Timestamps a Date can format (±8.64e15 ms); others are dropped as garbage. */
const MAX_TIME = 8.64e12;

/**
 * Renders time series as a terminal chart: y axis with 3-5 SI ticks, the plot, an x axis with
 * 2-3 UTC times, and a legend line per series (current, min, max). The result has exactly `height`
 * lines, none wider than `width` columns, and escape codes only from `style`; below 3 rows it is a
 * sparkline. Pure: the same input always renders the same text.
 */
export function renderChart(series: ChartSeries[], opts: ChartOptions): string {
  const width = whole(opts.width);
  const height = whole(opts.height);
  if (height === 0) return '';
  const lines = width === 0 ? [] : layout(series, { ...opts, width, height });
  const out = lines.slice(0, height).map((l) => paintLine(fitLine(l, width), opts.style));
  while (out.length < height) out.push('');
  return out.join('\n');
}

function layout(series: ChartSeries[], opts: ChartOptions): StyledLine[] {
  const { width, height } = opts;
  const unit = clean(opts.unit ?? '');
  const mode = opts.mode ?? 'braille';
  const win = timeWindow(series, opts);
  const prepared = series.map((s, i) => prepare(s, SERIES_COLOURS[i % SERIES_COLOURS.length]!, win));
  const entries: LegendEntry[] = prepared;
  const withData = prepared.filter((p) => p.cur !== null);

  if (height < 3) {
    const first = withData[0];
    if (!first || !win) return [[{ text: 'no data', colour: 'dim' }], ...legendLines(entries, width, 1, unit, 0)];
    const cur = ` ${formatSi(first.cur ?? NaN)}${unit}`;
    const cols = width >= displayWidth(cur) + 6 ? width - displayWidth(cur) : width;
    const spark = sparkline(columnValues(first.runs, win.start, win.end, cols));
    const legend = legendLines([first, ...prepared.filter((p) => p !== first)], width, 1, unit, 0);
    return [[{ text: spark, colour: first.colour }, { text: cols < width ? cur : '' }], ...legend];
  }

  const { xRows, legendRows, rows, hasData, scale, rowOf, probe, tickAt, labelW, axisW, cols } = plotArea(prepared, win, opts, unit);
  const frame: PlotFrame = { ...probe, cols };

  let cells: PlotCell[][];
  if (hasData) {
    const plotted = withData.map((p) => ({ runs: p.runs, colour: p.colour }));
    cells = mode === 'block' ? blockPlot(plotted, frame) : braillePlot(plotted, frame);
  } else {
    cells = blankCells(frame);
    const msg = [...truncateToWidth('no data', cols)];
    const at = Math.max(0, Math.floor((cols - msg.length) / 2));
    msg.forEach((ch, i) => (cells[Math.floor((rows - 1) / 2)]![at + i] = { ch, colour: 'dim' }));
  }

  let legendEntries = entries;
  let curName: string | undefined;
  if (typeof opts.cursor === 'number' && hasData && win && cols > 0) {
    const c = Math.max(0, Math.min(cols - 1, Math.floor(opts.cursor)));
    for (const row of cells) if (row[c]!.ch === ' ') row[c] = { ch: '│', colour: 'dim' };
    const t = win.start + ((c + 0.5) / cols) * (win.end - win.start);
    curName = `${new Date(t * 1000).toISOString().slice(11, 19)} `;
    legendEntries = prepared.map((p) => ({ ...p, cur: p.cur === null ? null : (columnValues(p.runs, win.start, win.end, cols)[c] ?? null) }));
  }

  const out: StyledLine[] = cells.map((row, r) => [
    { text: labelW > 0 ? (tickAt.get(r) ?? '').padStart(labelW) : '', colour: 'dim' },
    { text: axisW > 0 ? (tickAt.has(r) && labelW > 0 ? '┤' : '│') : '', colour: 'dim' },
    ...cellSegments(row),
  ]);

  // x axis: times centred under their column, dropped when they would touch a neighbour.
  const axis = [...'─'.repeat(cols)];
  const labels = [...' '.repeat(cols)];
  let free = 0;
  for (const { t, text } of win ? (opts.xTicks ?? timeTicks)(win.start, win.end, cols) : []) {
    const fx = xFraction(t, frame);
    const col = mode === 'block' ? Math.floor(fx * cols) : Math.round(fx * (2 * cols - 1)) >> 1;
    const c = Math.max(0, Math.min(cols - 1, col));
    const from = Math.max(0, Math.min(cols - text.length, c - Math.floor(text.length / 2)));
    if (from < free || from + text.length > cols) continue;
    axis[c] = '┬';
    labels.splice(from, text.length, ...text);
    free = from + text.length + 1;
  }
  const margin = ' '.repeat(labelW);
  if (xRows === 2) out.push([{ text: margin + (axisW > 0 ? '└' : '') + axis.join(''), colour: 'dim' }]);
  out.push([{ text: margin + ' '.repeat(axisW) + labels.join(''), colour: 'dim' }]);
  out.push(...legendLines(legendEntries, width, legendRows, unit, labelW + axisW, curName));
  return out;
}

/** How the chart's rows and columns are shared out: plot rows, legend rows, the y labels' width, the plot's columns. */
function plotArea(prepared: Prepared[], win: { start: number; end: number } | undefined, opts: ChartOptions, unit: string) {
  const { width, height } = opts;
  const mode = opts.mode ?? 'braille';
  const withData = prepared.filter((p) => p.cur !== null);
  const xRows = height >= 7 ? 2 : 1;
  const legendRows = Math.min(prepared.length, Math.max(1, Math.floor((height - xRows) / 3)));
  const rows = height - xRows - legendRows;

  let min = Infinity;
  let max = -Infinity;
  for (const p of withData) [min, max] = [Math.min(min, p.min ?? min), Math.max(max, p.max ?? max)];
  const hasData = withData.length > 0 && win !== undefined;
  const scale = hasData ? niceScale(min, max, rows <= 2 ? 2 : Math.min(5, Math.max(3, Math.floor(rows / 2) + 1))) : undefined;
  const rowOf = mode === 'block' ? blockRow : brailleRow;

  // Tick labels by row; one plot row shows only the top tick.
  const lo = scale?.lo ?? 0;
  const hi = scale?.hi ?? 1;
  const probe: PlotFrame = { cols: 1, rows, start: win?.start ?? 0, end: win?.end ?? 1, lo, hi };
  const tickAt = new Map<number, string>();
  for (const v of rows === 1 ? [hi] : (scale?.ticks ?? [])) {
    tickAt.set(rowOf(yFraction(v, probe), rows), formatTick(v, scale?.step ?? NaN) + unit);
  }
  let labelW = Math.max(0, ...[...tickAt.values()].map(displayWidth));
  let axisW = 1;
  if (width - labelW - axisW < 4) labelW = 0;
  if (width - labelW - axisW < 1) axisW = 0;
  const cols = width - labelW - axisW;
  return { xRows, legendRows, rows, withData, hasData, scale, rowOf, probe, tickAt, labelW, axisW, cols };
}

/** The plot's columns for these series at this size (where a chart cursor can be), or 0 below 3 rows (a sparkline). */
export function plotColumns(series: ChartSeries[], opts: ChartOptions): number {
  const width = whole(opts.width);
  const height = whole(opts.height);
  if (height < 3 || width === 0) return 0;
  const win = timeWindow(series, opts);
  const prepared = series.map((s, i) => prepare(s, SERIES_COLOURS[i % SERIES_COLOURS.length]!, win));
  return plotArea(prepared, win, { ...opts, width, height }, clean(opts.unit ?? '')).cols;
}

function timeWindow(series: ChartSeries[], opts: ChartOptions): { start: number; end: number } | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const s of series) {
    for (const [t] of s.points) {
      if (!usableTime(t)) continue;
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
  }
  let start = usableTime(opts.start) ? opts.start : first;
  let end = usableTime(opts.end) ? opts.end : last;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  if (start > end) [start, end] = [end, start];
  // One instant (a single sample): centre it in a minute.
  if (start === end) [start, end] = [start - 30, end + 30];
  return { start, end };
}

function prepare(s: ChartSeries, colour: Colour, win: { start: number; end: number } | undefined): Prepared {
  const points = s.points
    .filter(([t]) => usableTime(t))
    .map(([t, v]): [number, number | null] => [t, typeof v === 'number' && Number.isFinite(v) ? v : null])
    .sort((a, b) => a[0] - b[0]);
  let cur: number | null = null;
  let min: number | null = null;
  let max: number | null = null;
  for (const [t, v] of points) {
    if (v === null || !win || t < win.start || t > win.end) continue;
    cur = v;
    min = min === null ? v : Math.min(min, v);
    max = max === null ? v : Math.max(max, v);
  }
  return { label: clean(s.label), colour, runs: splitRuns(points), cur, min, max };
}

function usableTime(t: number | undefined): t is number {
  return typeof t === 'number' && Number.isFinite(t) && Math.abs(t) <= MAX_TIME;
}

function whole(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
}

/** Control characters (a label could carry escape codes) are shown as `?`. */
function clean(s: string): string {
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
