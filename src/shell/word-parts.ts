import { quoteWord } from './quote-word.js';
import { TokenizeError, tokenize } from './tokenize.js';

/** A piece of a parsed word: literal text, or a `${NAME}` reference left unexpanded. */
export type WordPart = { text: string } | { ref: string };

// Variable references come out of the tokenizer wrapped in these two characters, which a typed
// line never holds, so a word's literal text and its references can be told apart afterwards.
const OPEN = '\u0000';
const CLOSE = '\u0001';
const MARKED = /\u0000([^\u0001]*)\u0001/g;

/**
 * Splits a line into words exactly as the tokenizer does (same quoting, escapes and comments), but
 * keeps `${NAME}` references as references instead of expanding them. Throws a TokenizeError for
 * a line that does not parse.
 */
export function wordParts(line: string): WordPart[][] {
  if (line.includes(OPEN) || line.includes(CLOSE)) throw new TokenizeError('the line holds control characters');
  return tokenize(line, (name) => OPEN + name + CLOSE).map((word) => {
    const parts: WordPart[] = [];
    let at = 0;
    for (const m of word.matchAll(MARKED)) {
      if (m.index > at) parts.push({ text: word.slice(at, m.index) });
      parts.push({ ref: m[1]! });
      at = m.index + m[0].length;
    }
    if (at < word.length) parts.push({ text: word.slice(at) });
    return parts;
  });
}

/** The word as text with references written `${NAME}`: what the redactor reads. */
export function wordText(parts: readonly WordPart[]): string {
  return parts.map((p) => ('ref' in p ? `\${${p.ref}}` : p.text)).join('');
}

/** Writes the word back for a line: literal text quoted where needed, references bare so they expand. */
export function renderWord(parts: readonly WordPart[]): string {
  if (parts.length === 0) return "''";
  return parts.map((p) => ('ref' in p ? `\${${p.ref}}` : quoteWord(p.text))).join('');
}
