import type { Style } from './style.js';

export interface Column<T> {
  header: string;
  get(row: T): string;
  /** Colour for the cell, applied after padding so alignment ignores escape codes. */
  paint?(cell: string, row: T, style: Style): string;
  align?: 'left' | 'right';
  /**
   * The most characters a cramped table (a console pane) gives the cell; the CLI table shows it
   * whole. An md5 is told apart by its first 12 characters.
   */
  narrow?: number;
  /** A cramped table (a console pane) may leave the column out when its rows do not fit the terminal; the CLI always shows it. */
  spare?: boolean;
}

/** Lays rows out as aligned columns with a header; long cells are cut with an ellipsis. */
export function textTable<T>(rows: readonly T[], columns: readonly Column<T>[], style: Style, maxCell = 60): string {
  if (rows.length === 0) return style.dim('(none)');
  const cells = rows.map((r) => columns.map((c) => clip(c.get(r), maxCell)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => width(row[i]!))));
  const head = columns.map((c, i) => pad(c.header, widths[i]!, c.align)).join('  ').trimEnd();
  const body = cells.map((row, r) =>
    row
      .map((cell, i) => {
        const col = columns[i]!;
        const padded = pad(cell, widths[i]!, col.align);
        return col.paint ? col.paint(padded, rows[r]!, style) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  return [style.bold(head), ...body].join('\n');
}

function clip(s: string, max: number): string {
  const oneLine = s.replace(/[\r\n\t]+/g, ' ');
  const chars = [...oneLine];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : oneLine;
}

function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  const gap = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? gap + s : s + gap;
}
