import { Text } from 'ink';
import { paneHealth, PANES, type ConsoleState } from '../state.js';
import { HEALTH_COLOR } from './StatusBar.js';

export function Tabs({ s }: { s: ConsoleState }) {
  return (
    <Text wrap="truncate">
      {PANES.map((p, i) => {
        // A tab says what the bar says about its subsystem: red when down, grey when not configured.
        const state = paneHealth(s.health, p);
        const color = state === 'down' || state === 'off' ? HEALTH_COLOR[state] : undefined;
        return (
          <Text key={p} inverse={p === s.pane} bold={p === s.pane} color={color} dimColor={state === 'off'}>{` ${i + 1} ${p} `}</Text>
        );
      })}
      <Text dimColor>{s.focus === 'pane' || s.focus === 'filter' ? '  (pane focus)' : '  (Esc: pane focus)'}</Text>
    </Text>
  );
}
