import { Box, Text } from 'ink';
import { memo } from 'react';
import { fit } from '../layout.js';
import { gutter, paneLines, type PaneLineRow } from '../pane-lines.js';
import type { ConsoleState, Tone } from '../state.js';
import { MetricsPane } from './MetricsPane.js';

const TONE: Record<Tone, string | undefined> = { ok: 'green', warn: 'yellow', bad: 'red', dim: 'gray', plain: undefined };

export { scopeNote } from '../pane-lines.js';

/** The live list of the current pane, as paneLines lays it out (the boot painter draws the same lines). */
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
  const p = paneLines(s, height, now);
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate">
        <Text bold>{p.status}</Text>
        {p.error !== null ? <Text color="red">{p.error}</Text> : null}
      </Text>
      {p.warning !== null ? <Text color="yellow" wrap="truncate">{p.warning}</Text> : null}
      <Text bold dimColor wrap="truncate">{p.header}</Text>
      {p.rows.map((r) => (
        <Row key={r.key} row={r} focused={s.focus === 'pane'} />
      ))}
      {p.empty !== null ? <Text dimColor>{p.empty}</Text> : null}
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

const Row = memo(function Row({ row, focused }: { row: PaneLineRow; focused: boolean }) {
  return (
    <Text wrap="truncate" inverse={row.selected && focused} bold={row.selected && !focused} color={TONE[row.tone]}>
      {gutter(row)}
      {row.text}
    </Text>
  );
  // Rows are rebuilt as new objects every frame; redraw only those whose look changed.
}, (a, b) => a.focused === b.focused && a.row.text === b.row.text && a.row.tone === b.row.tone && a.row.selected === b.row.selected && a.row.marked === b.row.marked);
