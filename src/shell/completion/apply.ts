import { quoteWord } from '../quote-word.js';
import type { Candidate, CompletionResult } from './types.js';

/**
 * Puts a chosen candidate into the line in place of [from, to) and returns the new text and
 * cursor. Values that the tokenizer would split or reinterpret are quoted. A space follows a
 * complete word so the next one can be typed at once; not after a value ending in '/' or '='
 * (more of it follows), and not when the line already has one there (the cursor steps over it).
 * History candidates are whole lines typed before and go in verbatim. A candidate with its own
 * `insert` (a piece of a PromQL expression, already quoted for the line) goes in as it says.
 */
export function applyCandidate(line: string, result: CompletionResult, candidate: Candidate): { text: string; cursor: number } {
  if (candidate.insert) {
    return { text: line.slice(0, result.from) + candidate.insert.text + line.slice(result.to), cursor: result.from + candidate.insert.cursor };
  }
  const verbatim = candidate.kind === 'history';
  const word = verbatim ? candidate.value : quoteWord(candidate.value);
  const head = line.slice(0, result.from) + word;
  const tail = line.slice(result.to);
  const continues = verbatim || candidate.value.endsWith('/') || candidate.value.endsWith('=');
  if (continues) return { text: head + tail, cursor: head.length };
  if (tail.startsWith(' ') || tail.startsWith('\t')) return { text: head + tail, cursor: head.length + 1 };
  return { text: head + ' ' + tail, cursor: head.length + 1 };
}
