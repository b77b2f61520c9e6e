import { Text } from 'ink';
import { PANES, type ConsoleState } from '../state.js';

export function Tabs({ s }: { s: ConsoleState }) {
  return (
    <Text wrap="truncate">
      {PANES.map((p, i) => (
        <Text key={p} inverse={p === s.pane} bold={p === s.pane}>{` ${i + 1} ${p} `}</Text>
      ))}
      <Text dimColor>{s.focus === 'pane' || s.focus === 'filter' ? '  (pane focus)' : '  (Esc: pane focus)'}</Text>
    </Text>
  );
}
