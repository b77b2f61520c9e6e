import { Box, Text } from 'ink';
import { MENU_ROWS, fit, fitMiddle } from '../layout.js';
import { outputWindow } from '../output-lines.js';
import type { ConsoleState } from '../state.js';

/**
 * The bottom region: command output (newest lines, wrapped to the width, scrolled with
 * PgUp/PgDn), or the completion menu, or a confirmation dialog. The region's height is fixed by
 * the layout, so wrapping never changes the frame's height.
 */
export function LogArea({ s, height }: { s: ConsoleState; height: number }) {
  if (s.dialog) {
    const d = s.dialog;
    const lines = wrap(d.message, s.cols - 2);
    return (
      <Box flexDirection="column" height={height}>
        {lines.slice(0, height - 1).map((l, i) => (
          <Text key={i} color="yellow" bold wrap="truncate">{l}</Text>
        ))}
        <Text wrap="truncate">
          {d.typeToConfirm !== null ? (
            <>
              <Text>{`Type `}</Text>
              <Text bold color="red">{d.typeToConfirm}</Text>
              <Text>{` to confirm (Esc cancels): `}</Text>
              <Text inverse>{d.input + ' '}</Text>
            </>
          ) : (
            <Text bold>{'Confirm? [y/N] (Esc cancels)'}</Text>
          )}
        </Text>
      </Box>
    );
  }
  const c = s.completion;
  if (c?.open && c.result.loading && c.result.items.length === 0) {
    return (
      <Box flexDirection="column" height={height}>
        <Text dimColor>{'  loading…  (names are being fetched; Tab again once they are here)'}</Text>
      </Box>
    );
  }
  if (c?.open && c.result.items.length > 0) {
    const rows = Math.min(height, MENU_ROWS, c.result.items.length);
    const start = Math.max(0, Math.min(c.selected - rows + 1, c.result.items.length - rows));
    const items = c.result.items.slice(start, start + rows);
    const w = Math.min(40, Math.max(...items.map((i) => i.value.length)));
    return (
      <Box flexDirection="column" height={height}>
        {items.map((it, i) => (
          <Text key={it.kind + it.value} wrap="truncate" inverse={start + i === c.selected}>
            {`  ${fitMiddle(it.value, w).padEnd(w)}  `}
            <Text dimColor>{fit(it.description, Math.max(0, s.cols - w - 6))}</Text>
          </Text>
        ))}
        {c.result.items.length > rows ? <Text dimColor>{`  … ${c.result.items.length} matches (Tab/↑↓ to move, Enter to pick)`}</Text> : null}
      </Box>
    );
  }
  // Newest output sits right above the prompt, as in any REPL; long lines wrap (hints included).
  const w = outputWindow(s.log, s.cols, height, s.logScroll);
  const more = w.above > 0 || w.below > 0 ? moreLine(w.above, w.below) : null;
  return (
    <Box flexDirection="column" height={height} justifyContent="flex-end">
      {more ? <Text key="more" dimColor wrap="truncate">{fit(more, s.cols)}</Text> : null}
      {w.lines.map((l) => (
        <Text key={l.key} wrap="truncate" color={l.cmd ? (l.code === 0 || l.code === null ? 'cyan' : 'red') : undefined}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}

/** The line that says output is hidden, and how to reach it. */
export function moreLine(above: number, below: number): string {
  const parts = [above > 0 ? `↑ ${above} more line${above === 1 ? '' : 's'} above` : '', below > 0 ? `↓ ${below} newer` : ''].filter(Boolean);
  return `${parts.join(' · ')}  (PgUp/PgDn scroll · Ctrl-O pager)`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line) out.push(line);
  return out;
}
