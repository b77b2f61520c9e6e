import { Box, Text } from 'ink';
import { fit } from '../layout.js';
import { pagerLines, type PagerState } from '../pager.js';

/** A result read in full (Ctrl-O): wrapped lines, the search highlighted, where we are in it. */
export function PagerView({ p, cols, height }: { p: PagerState; cols: number; height: number }) {
  const lines = pagerLines(p, cols);
  const room = Math.max(1, height - 1);
  const shown = lines.slice(p.top, p.top + room);
  const last = Math.min(lines.length, p.top + room);
  const where = `lines ${lines.length === 0 ? 0 : p.top + 1}–${last} of ${lines.length}${last >= lines.length ? ' (end)' : ''}`;
  const status = p.typing !== null ? `/${p.typing}▏` : (p.message ?? (p.query ? `search: ${p.query}` : ''));
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate">
        <Text bold inverse>{fit(` ${p.title} `, Math.max(10, cols - where.length - 4))}</Text>
        <Text dimColor>{`  ${where}`}</Text>
        {status ? <Text color="yellow">{`  ${status}`}</Text> : null}
      </Text>
      {shown.map((l, i) => (
        <Line key={p.top + i} text={l} query={p.query} current={p.match === p.top + i} />
      ))}
    </Box>
  );
}

function Line({ text, query, current }: { text: string; query: string; current: boolean }) {
  const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (at < 0) return <Text wrap="truncate">{text || ' '}</Text>;
  return (
    <Text wrap="truncate">
      {text.slice(0, at)}
      <Text inverse color={current ? 'yellow' : undefined}>{text.slice(at, at + query.length)}</Text>
      {text.slice(at + query.length)}
    </Text>
  );
}
