import { Text } from 'ink';
import { promptLabel } from '../prompt-label.js';
import type { ConsoleState } from '../state.js';

/** The prompt with a drawn cursor and the best completion as a dim hint after it (or a PromQL syntax problem). */
export function PromptLine({ s }: { s: ConsoleState }) {
  if (s.focus === 'search' && s.search) {
    const match = s.search.index === null ? '' : (s.history.entries[s.search.index] ?? '');
    return (
      <Text wrap="truncate">
        <Text dimColor>{`(reverse-i-search)'`}</Text>
        <Text>{s.search.query}</Text>
        <Text dimColor>{`': `}</Text>
        <Text>{match}</Text>
      </Text>
    );
  }
  const { text, cursor } = s.line;
  const active = s.focus === 'prompt' && !s.dialog;
  const before = text.slice(0, cursor);
  const hint = active && cursor === text.length ? (s.completion?.result.hint ?? '') : '';
  // At the end of the line with a hint, the cursor sits on the hint's first letter: a blank cursor
  // cell between the typed part and the hint would split the word ("ser vices").
  const at = text.slice(cursor, cursor + 1) || hint.slice(0, 1) || ' ';
  const after = text.slice(cursor + 1);
  const hintRest = text.length > cursor ? hint : hint.slice(1);
  // A PromQL syntax problem of the argument being typed, where a hint would be.
  const problem = active && !hint ? s.completion?.result.problem : undefined;
  const label = promptLabel(s.profile);
  return (
    <Text wrap="truncate">
      <Text color={s.profile.production ? 'red' : 'cyan'} bold>{label}</Text>
      <Text>{before}</Text>
      {active ? <Text inverse dimColor={cursor === text.length && hint !== ''}>{at}</Text> : <Text>{at}</Text>}
      <Text>{after}</Text>
      {hintRest ? <Text dimColor>{hintRest}</Text> : null}
      {problem ? <Text color="yellow">{`  ✗ ${problem}`}</Text> : null}
    </Text>
  );
}
