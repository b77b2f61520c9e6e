import { Box, Text } from 'ink';
import { memo } from 'react';
import { age, fit, pad } from '../layout.js';
import { currentView, listsNamespaces, visibleRows, type ConsoleState, type PaneRow, type PaneView, type Tone } from '../state.js';
import { sortedHeader } from '../row-sort.js';
import { MetricsPane } from './MetricsPane.js';

const TONE: Record<Tone, string | undefined> = { ok: 'green', warn: 'yellow', bad: 'red', dim: 'gray', plain: undefined };

/**
 * The live list of the current pane. Only the rows that fit are rendered (never more lines than
 * the region has), so a pane of 100k instances costs the same per frame as one of ten.
 */
export function PaneArea({ s, height, now }: { s: ConsoleState; height: number; now: number }) {
  if (s.detail) {
    const lines = s.detail.lines.slice(s.detail.scroll, s.detail.scroll + height - 1);
    return (
      <Box flexDirection="column" height={height}>
        <Text bold wrap="truncate">{fit(`${s.detail.title}  (Esc closes, j/k scroll)`, s.cols)}</Text>
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate" color={s.detail!.diff ? diffColor(l) : undefined}>{fit(l, s.cols)}</Text>
        ))}
      </Box>
    );
  }
  if (s.pane === 'metrics') return <MetricsPane s={s} height={height} now={now} />;
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
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate">
        <Text bold>{fit(status, s.cols)}</Text>
        {view.error ? <Text color="red">{fit(`  ✗ ${view.error}`, Math.max(0, s.cols - status.length))}</Text> : null}
      </Text>
      {warnings.length > 0 ? <Text color="yellow" wrap="truncate">{fit(`⚠ ${warnings.join('  ·  ')}`, s.cols)}</Text> : null}
      {/* Two columns in, where the rows start after their selection mark. */}
      <Text bold dimColor wrap="truncate">{fit(`  ${shown.map((i) => pad(headers[i]!, widths[i]!, view.align?.[i])).join('  ')}`, s.cols)}</Text>
      {window.map((r, i) => (
        <Row key={r.key} row={r} shown={shown} widths={widths} align={view.align} cols={s.cols} selected={offset + i === view.selected} marked={r.key === view.marked} focused={s.focus === 'pane'} />
      ))}
      {rows.length === 0 && !view.loading ? <Text dimColor>{view.filter ? '(nothing matches the filter)' : '(empty)'}</Text> : null}
    </Box>
  );
}

/** A unified diff's colours; NO_COLOR and dumb terminals are handled by Ink's colour level. */
export function diffColor(line: string): string | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return undefined;
  if (line.startsWith('+')) return 'green';
  if (line.startsWith('-')) return 'red';
  if (line.startsWith('@@')) return 'cyan';
  return undefined;
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

const Row = memo(function Row({ row, shown, widths, align, cols, selected, marked, focused }: { row: PaneRow; shown: number[]; widths: number[]; align: PaneView['align']; cols: number; selected: boolean; marked: boolean; focused: boolean }) {
  // Aligned as the CLI table aligns the column (numbers and durations to the right).
  const text = fit(row.span ?? shown.map((i) => pad(row.cells[i] ?? '', widths[i] ?? 0, align?.[i])).join('  '), cols - 2);
  return (
    <Text wrap="truncate" inverse={selected && focused} bold={selected && !focused} color={TONE[row.tone]}>
      {/* The second column of the gutter is the `v` mark (a history entry to diff from). */}
      {`${selected ? '▶' : ' '}${marked ? '•' : ' '}`}
      {text}
    </Text>
  );
});

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
