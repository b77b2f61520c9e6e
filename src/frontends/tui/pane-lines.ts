import { age, fit, pad } from './layout.js';
import { sortedHeader } from './row-sort.js';
import { currentView, listsNamespaces, visibleRows, type ConsoleState, type PaneRow, type Tone } from './state.js';

/** One row of a pane list as drawn: its text after the two-column gutter, and how it is marked. */
export interface PaneLineRow {
  key: string;
  text: string;
  tone: Tone;
  selected: boolean;
  marked: boolean;
}

/** What a pane list shows in `height` lines, as plain text; PaneArea (Ink) and the boot painter draw it. */
export interface PaneLines {
  status: string;
  error: string | null;
  warning: string | null;
  header: string;
  rows: PaneLineRow[];
  /** The placeholder line when no row shows, or null. */
  empty: string | null;
}

/**
 * The lines of the current pane's list. Only the rows that fit are formatted (never more lines
 * than the region has), so a pane of 100k instances costs the same per frame as one of ten.
 */
export function paneLines(s: ConsoleState, height: number, now: number): PaneLines {
  const view = currentView(s);
  const rows = visibleRows(view);
  const warnings = view.warnings ?? [];
  const bodyRows = Math.max(1, height - 2 - (warnings.length > 0 ? 1 : 0));
  const offset = view.selected < bodyRows ? 0 : view.selected - bodyRows + 1;
  const window = rows.slice(offset, offset + bodyRows);
  const sort = view.sort && view.sort.column < view.columns.length ? view.sort : null;
  const headers = view.columns.map((c, i) => sortedHeader(c, i, sort));
  const { shown, widths } = columnLayout(headers, window, s.cols, view.spare);
  const status = [
    `${view.title}${scopeNote(s)}`,
    `${rows.length === 0 ? 0 : view.selected + 1}/${rows.length}${rows.length !== view.rows.length ? ` of ${view.rows.length}` : ''}`,
    view.filter !== '' || s.focus === 'filter' ? `filter: ${view.filter}${s.focus === 'filter' ? '▏' : ''}` : '',
    view.loading && view.fetchedAt === null ? 'loading…' : `data ${age(view.fetchedAt, now)}${view.error && view.fetchedAt !== null ? ' (stale)' : view.live ? ' (live)' : ''}`,
  ].filter(Boolean).join('  ·  ');
  return {
    status: fit(status, s.cols),
    error: view.error ? fit(`  ✗ ${view.error}`, Math.max(0, s.cols - status.length)) : null,
    warning: warnings.length > 0 ? fit(`⚠ ${warnings.join('  ·  ')}`, s.cols) : null,
    // Two columns in, where the rows start after their selection mark.
    header: fit(`  ${shown.map((i) => pad(headers[i]!, widths[i]!, view.align?.[i])).join('  ')}`, s.cols),
    rows: window.map((r, i) => ({
      key: r.key,
      // Aligned as the CLI table aligns the column (numbers and durations to the right).
      text: fit(r.span ?? shown.map((j) => pad(r.cells[j] ?? '', widths[j] ?? 0, view.align?.[j])).join('  '), s.cols - 2),
      tone: r.tone,
      selected: offset + i === view.selected,
      marked: r.key === view.marked,
    })),
    empty: rows.length === 0 && !view.loading ? (view.filter ? '(nothing matches the filter)' : '(empty)') : null,
  };
}

/**
 * The namespace panes 1 and 2 list, beside the title of their top view: `use NAMESPACE` in
 * effect, or every namespace where the backends have them (their rows show a NAMESPACE column).
 */
export function scopeNote(s: ConsoleState): string {
  if ((s.pane !== 'services' && s.pane !== 'config') || s.views[s.pane].length > 1) return '';
  if (s.scope.namespace !== undefined) return ` in namespace ${s.scope.namespace}`;
  return listsNamespaces(s.views[s.pane][0]!) ? ' in every namespace' : '';
}

/** The gutter before a row's text: the selection mark, then the `v` mark (a history entry to diff from). */
export function gutter(row: Pick<PaneLineRow, 'selected' | 'marked'>): string {
  return `${row.selected ? '▶' : ' '}${row.marked ? '•' : ' '}`;
}

/**
 * Which columns the pane shows and how wide. The view definition's spare columns are left out
 * first, right to left, while the row does not fit the terminal; then the widest columns shrink.
 */
function columnLayout(columns: string[], rows: PaneRow[], cols: number, spare: readonly boolean[] = []): { shown: number[]; widths: number[] } {
  const sized = rows.filter((r) => r.span === undefined);
  const widths = columns.map((c, i) => Math.max(c.length, ...sized.map((r) => [...(r.cells[i] ?? '')].length)));
  let shown = columns.map((_, i) => i);
  const need = () => shown.reduce((a, i) => a + widths[i]!, 0) + 2 * (shown.length - 1) + 2;
  for (let i = columns.length - 1; i >= 0 && need() > cols; i--) if (spare[i]) shown = shown.filter((x) => x !== i);
  // Shrink the widest columns first until the row fits the terminal.
  const budget = Math.max(10, cols - 2 - 2 * (shown.length - 1));
  let total = shown.reduce((a, i) => a + widths[i]!, 0);
  while (total > budget) {
    const i = shown.reduce((w, x) => (widths[x]! > widths[w]! ? x : w), shown[0]!);
    if (widths[i]! <= 6) break;
    widths[i]!--;
    total--;
  }
  return { shown, widths };
}
