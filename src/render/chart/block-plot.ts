import { columnValues } from './column-values.js';
import { blankCells, type PlotCell, type PlotFrame, type PlottedSeries, yFraction } from './plot-frame.js';

/** Eighth blocks, one to eight eighths high. */
export const BLOCKS = '▁▂▃▄▅▆▇█';

/** Bar height in eighths of a cell for a value at fraction `fy`; any value shows at least ▁. */
function eighths(fy: number, rows: number): number {
  return Math.max(1, Math.min(rows * 8, Math.round(fy * rows * 8)));
}

/** The cell row holding the top of a bar at fraction `fy` (ticks use it to line up). */
export function blockRow(fy: number, rows: number): number {
  return rows - 1 - Math.floor((eighths(fy, rows) - 1) / 8);
}

/**
 * Draws one bar per column from the bottom, eight steps per cell. Where series share a column the
 * tallest is drawn first and shorter ones recolour its lower cells, so each shows in its own colour.
 */
export function blockPlot(series: readonly PlottedSeries[], f: PlotFrame): PlotCell[][] {
  const cells = blankCells(f);
  const values = series.map((s) => columnValues(s.runs, f.start, f.end, f.cols));
  for (let c = 0; c < f.cols; c++) {
    const bars = series
      .map((s, i) => ({ colour: s.colour, v: values[i]![c] }))
      .filter((b): b is { colour: PlottedSeries['colour']; v: number } => typeof b.v === 'number' && Number.isFinite(b.v))
      .sort((a, b) => b.v - a.v);
    for (const bar of bars) {
      const e = eighths(yFraction(bar.v, f), f.rows);
      for (let r = 0; r < f.rows; r++) {
        const fill = Math.min(8, e - (f.rows - 1 - r) * 8);
        // A shorter bar recolours the cells it fills whole; its partial top inside a taller bar
        // would punch a hole in that bar, so there the taller bar's block stays.
        const under = cells[r]![c]!.ch !== ' ';
        if (fill >= 8 || (fill > 0 && !under)) cells[r]![c] = { ch: BLOCKS[fill - 1]!, colour: bar.colour };
      }
    }
  }
  return cells;
}
