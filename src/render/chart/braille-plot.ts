import { blankCells, type PlotCell, type PlotFrame, type PlottedSeries, xFraction, yFraction } from './plot-frame.js';

/** Dot bits of a braille cell (U+2800 + mask), by dot row (0-3) and dot column (0-1). */
const BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;

/** The cell row a value at fraction `fy` of the axis is drawn in (ticks use it to line up). */
export function brailleRow(fy: number, rows: number): number {
  return Math.min(rows - 1, Math.max(0, Math.floor(Math.round((1 - fy) * (rows * 4 - 1)) / 4)));
}

/**
 * Draws each run as connected segments on a grid of 2×4 dots per cell; a run of one sample is a
 * short dash. A cell takes the colour of the last series that put a dot in it; empty cells are spaces.
 */
export function braillePlot(series: readonly PlottedSeries[], f: PlotFrame): PlotCell[][] {
  const w = f.cols * 2;
  const h = f.rows * 4;
  const masks = new Uint8Array(f.cols * f.rows);
  const owner = new Int32Array(f.cols * f.rows).fill(-1);
  const dot = (x: number, y: number, s: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    const i = (y >> 2) * f.cols + (x >> 1);
    masks[i]! |= BITS[y & 3]![x & 1]!;
    owner[i] = s;
  };
  // Far-off values (outside the visible window) are pulled in, so clipping stays finite.
  const X = (t: number) => clamp(xFraction(t, f) * (w - 1));
  const Y = (v: number) => clamp((1 - yFraction(v, f)) * (h - 1));
  series.forEach((s, si) => {
    for (const run of s.runs) {
      if (run.length === 1) {
        // A lone sample is both dots of its cell's row, so it does not vanish as one speck.
        const [x, y] = [Math.round(X(run[0]![0])), Math.round(Y(run[0]![1]))];
        if (x >= 0 && x < w) [x, x ^ 1].forEach((dx) => dot(dx, y, si));
      }
      for (let i = 1; i < run.length; i++) {
        const seg = clip(X(run[i - 1]![0]), Y(run[i - 1]![1]), X(run[i]![0]), Y(run[i]![1]), w - 1, h - 1);
        if (seg) line(...seg, (x, y) => dot(x, y, si));
      }
    }
  });
  const cells = blankCells(f);
  for (let r = 0; r < f.rows; r++) {
    for (let c = 0; c < f.cols; c++) {
      const i = r * f.cols + c;
      const o = owner[i]!;
      if (masks[i]! !== 0) cells[r]![c] = { ch: String.fromCharCode(0x2800 + masks[i]!), colour: series[o]?.colour };
    }
  }
  return cells;
}

function clamp(x: number): number {
  return Number.isNaN(x) ? 0 : Math.max(-1e9, Math.min(1e9, x));
}

/** Liang-Barsky: the part of a segment inside [0, xMax] × [0, yMax], rounded to dots, or null. */
function clip(x0: number, y0: number, x1: number, y1: number, xMax: number, yMax: number): [number, number, number, number] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const edge = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
    return true;
  };
  if (!(edge(-dx, x0) && edge(dx, xMax - x0) && edge(-dy, y0) && edge(dy, yMax - y0))) return null;
  return [Math.round(x0 + t0 * dx), Math.round(y0 + t0 * dy), Math.round(x0 + t1 * dx), Math.round(y0 + t1 * dy)];
}

/** Bresenham between two dots, both ends included. */
function line(x0: number, y0: number, x1: number, y1: number, plot: (x: number, y: number) => void): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(x0, y0);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}
