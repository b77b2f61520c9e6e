import { tokenize } from './tokenize.js';

const YES = /(^|[ \t])--yes(?=[ \t]|$)/g;
const keepRefs = (name: string) => `\${${name}}`;

/**
 * The line without its `--yes` words, the rest of the text untouched. Only a `--yes` that the
 * tokenizer reads as a word of its own goes: one inside quotes, after a `#` comment or joined to
 * the word before by an escaped space stays. The console keeps lines this way in its history, so
 * a recalled line asks its questions again.
 */
export function withoutYes(line: string): string {
  let out = line;
  const starts = [...line.matchAll(YES)].map((m) => m.index + m[1]!.length).filter((at) => isOwnWord(line.slice(0, at)));
  // From the right, so earlier offsets stay valid.
  for (const at of starts.reverse()) {
    const before = out.slice(0, at).replace(/[ \t]$/, '');
    const after = out.slice(at + '--yes'.length);
    out = before === '' ? after.replace(/^[ \t]/, '') : before + after;
  }
  return out.trim();
}

/** True when `--yes` written right after `prefix` would be a new word of the line. */
function isOwnWord(prefix: string): boolean {
  try {
    const before = tokenize(prefix, keepRefs);
    const after = tokenize(prefix + '--yes', keepRefs);
    return after.length === before.length + 1 && after[after.length - 1] === '--yes';
  } catch {
    // Inside an unclosed quote: part of a value, not a flag.
    return false;
  }
}
