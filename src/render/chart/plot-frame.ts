import type { Sample } from './split-runs.js';
import type { Colour } from './styled-line.js';

/** The plot area in cells and the time and value ranges it spans. */
export interface PlotFrame {
  cols: number;
  rows: number;
  start: number;
  end: number;
  lo: number;
  hi: number;
}

/** One terminal cell of the plot area. */
export interface PlotCell {
  ch: string;
  colour?: Colour | undefined;
}

export interface PlottedSeries {
  runs: Sample[][];
  colour: Colour;
}

/** Where `t` falls across the frame: 0 at start, 1 at end. */
export function xFraction(t: number, f: PlotFrame): number {
  return f.end > f.start ? (t - f.start) / (f.end - f.start) : 0.5;
}

/** Where `v` falls up the frame: 0 at lo, 1 at hi (halved first so ±1e308 cannot overflow). */
export function yFraction(v: number, f: PlotFrame): number {
  return (v / 2 - f.lo / 2) / (f.hi / 2 - f.lo / 2);
}

const BLANK: PlotCell = Object.freeze({ ch: ' ' });

/** An empty plot area. Cells are replaced, never changed, so they share one blank. */
export function blankCells(f: PlotFrame): PlotCell[][] {
  const rows: PlotCell[][] = [];
  for (let r = 0; r < f.rows; r++) rows.push(new Array<PlotCell>(f.cols).fill(BLANK));
  return rows;
}

/** A row of cells as segments, one per run of a colour. */
export function cellSegments(row: readonly PlotCell[]): Array<{ text: string; colour?: PlotCell['colour'] }> {
  const out: Array<{ text: string; colour?: PlotCell['colour'] }> = [];
  let text = '';
  let colour: PlotCell['colour'];
  for (const c of row) {
    if (c.colour !== colour && text !== '') {
      out.push({ text, colour });
      text = '';
    }
    colour = c.colour;
    text += c.ch;
  }
  if (text !== '') out.push({ text, colour });
  return out;
}
