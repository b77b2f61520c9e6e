/** A pane's sort: the column index, and whether it runs high to low. */
export interface PaneSort {
  column: number;
  desc: boolean;
}

/**
 * `s`: no sort → the first column → the next … → the last → no sort. A column keeps its direction
 * when `s` moves on, so `S` then `s` reads the next column the same way round.
 */
export function nextSort(sort: PaneSort | null | undefined, columns: number): PaneSort | null {
  if (columns === 0) return null;
  if (!sort) return { column: 0, desc: false };
  return sort.column + 1 < columns ? { column: sort.column + 1, desc: sort.desc } : null;
}

/** `S`: the other direction; with no sort, the first column high to low. */
export function reverseSort(sort: PaneSort | null | undefined): PaneSort {
  return sort ? { ...sort, desc: !sort.desc } : { column: 0, desc: true };
}

/** A column header with the sort mark when it is the sorted one. */
export function sortedHeader(column: string, i: number, sort: PaneSort | null | undefined): string {
  return sort && sort.column === i ? `${column}${sort.desc ? '▼' : '▲'}` : column;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const NUMBER = /^[-+]?\d+(?:\.\d+)?%?$/;
const DURATION = /^-?(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/**
 * The value a cell sorts by: a number for `42`, `3.5`, `80%` and durations as the panes write
 * them (`9m55s`, `850ms`, `-2s`), else null (the cell sorts as text). Durations are milliseconds, so
 * `59s` sorts before `1m00s`, which text order would get wrong.
 */
export function cellNumber(cell: string): number | null {
  const t = cell.trim();
  if (NUMBER.test(t)) return Number.parseFloat(t);
  if (!DURATION.test(t)) return null;
  const sign = t.startsWith('-') ? -1 : 1;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return sign * ms;
}

// Case-insensitive, and digits inside names by value (`svc-2` before `svc-10`).
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The rows ordered by one column: numbers (and durations) by value, above any text cells in
 * either direction; text case-insensitively; equal cells keep their order. Rows drawn as a span (a backend's error)
 * stay at the end, whichever way round, so they never land among the data.
 */
export function sortRows<R extends { cells: string[]; span?: string }>(rows: readonly R[], sort: PaneSort): R[] {
  const data: Array<{ row: R; num: number | null; text: string; at: number }> = [];
  const spans: R[] = [];
  rows.forEach((row, at) => {
    if (row.span !== undefined) return void spans.push(row);
    const text = row.cells[sort.column] ?? '';
    data.push({ row, num: cellNumber(text), text, at });
  });
  const dir = sort.desc ? -1 : 1;
  data.sort((a, b) => {
    // A number column's `-` or `?` (no value) stays below the values, whichever way round.
    if ((a.num === null) !== (b.num === null)) return a.num !== null ? -1 : 1;
    const c = a.num !== null && b.num !== null ? a.num - b.num : collator.compare(a.text, b.text);
    return c !== 0 ? c * dir : a.at - b.at;
  });
  return [...data.map((d) => d.row), ...spans];
}
