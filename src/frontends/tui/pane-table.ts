import type { Column } from '../../render/text-table.js';
import type { PaneRow } from './state.js';

/**
 * A pane's table drawn from the CLI table's own view definition (render/*-views.ts): the same
 * headers, the same cell for each row, the same alignment; a cell the definition marks `narrow`
 * is cut to that width, and one marked `spare` is left out first when the rows do not fit the
 * terminal: the pane is the cramped table. Tone and data stay the pane's own.
 */
export interface PaneTable {
  columns: string[];
  align: Array<'left' | 'right'>;
  /** The columns the pane leaves out first when its rows do not fit the terminal (the definition's `spare`). */
  spare: boolean[];
  rows: PaneRow[];
}

export function paneTable<T>(columns: ReadonlyArray<Column<T>>, items: readonly T[], row: (t: T) => Omit<PaneRow, 'cells'>): PaneTable {
  return {
    columns: columns.map((c) => c.header),
    align: columns.map((c) => c.align ?? 'left'),
    spare: columns.map((c) => c.spare === true),
    rows: items.map((t) => ({ ...row(t), cells: paneCells(columns, t) })),
  };
}

/** The cells of one row as the pane shows them. */
export function paneCells<T>(columns: ReadonlyArray<Column<T>>, t: T): string[] {
  return columns.map((c) => {
    const text = c.get(t);
    return c.narrow !== undefined && text.length > c.narrow ? text.slice(0, c.narrow) : text;
  });
}
