import { Box, Text } from 'ink';
import { keyHelpLines, type KeyHelpState } from '../key-help.js';
import { fit } from '../layout.js';

/** The `?` overlay: the keys of where it was opened, searchable as you type. */
export function KeyHelpOverlay({ h, cols, height }: { h: KeyHelpState; cols: number; height: number }) {
  const lines = keyHelpLines(h);
  const room = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(h.scroll, lines.length - room));
  const title = `keys: ${h.all ? 'everywhere' : h.place}  ·  search: ${h.query}▏`;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold inverse wrap="truncate">{fit(` ${title} `, cols)}</Text>
      {lines.length === 0 ? <Text dimColor>{h.all ? '(no key matches)' : '(no key here matches: Tab searches every context)'}</Text> : null}
      {lines.slice(top, top + room).map((l, i) => (
        <Text key={top + i} bold={l.heading} color={l.heading ? 'cyan' : undefined} wrap="truncate">
          {fit(l.text, cols)}
        </Text>
      ))}
    </Box>
  );
}
