import { redactText } from '../core/redact.js';
import { renderWord, wordParts, wordText, type WordPart } from './word-parts.js';

/** A secret taken out of a line: the variable that stands in for it and where it was. */
export interface LeftOutSecret {
  name: string;
  /** The flag or argument that held it, never its value: `--value of "config set"`. */
  where: string;
}

export interface RedactedLine {
  line: string;
  secrets: LeftOutSecret[];
}

const MASK = '***';

/**
 * Takes the secrets out of a console line word by word. Each word is read the way the tokenizer
 * reads it and given to the core redactor; every part the redactor masks becomes a reference
 * `${SECRET_n}` (numbered from `first`), and the word is quoted again, so the line still parses
 * and a replay refuses to run it until the variable is set: a placeholder is never published.
 * A line without secrets comes back as it was typed. Throws a TokenizeError for a line that does
 * not parse.
 */
export function redactWords(line: string, first = 1): RedactedLine {
  const words = wordParts(line);
  const texts = words.map(wordText);
  const secrets: LeftOutSecret[] = [];
  const out = words.map((parts, i) => {
    const text = texts[i]!;
    const masked = redactText(text);
    if (masked === text) return parts;
    const spans = maskedSpans(text, masked.split(MASK)) ?? [[0, text.length] as const];
    const where = describe(texts, i);
    return replaceSpans(parts, spans, () => {
      const name = `SECRET_${first + secrets.length}`;
      secrets.push({ name, where });
      return name;
    });
  });
  if (secrets.length === 0) return { line, secrets };
  return { line: out.map(renderWord).join(' '), secrets };
}

/**
 * Where in `text` the redactor's masks were: `pieces` are the redactor's output around each mask,
 * kept as they are, so the spans between them are exactly what it hid. Backtracks over where each
 * piece may sit; null if the output does not fit the text (then the whole word is hidden).
 */
function maskedSpans(text: string, pieces: readonly string[]): Array<readonly [number, number]> | null {
  if (!text.startsWith(pieces[0]!)) return null;
  const place = (k: number, from: number): Array<readonly [number, number]> | null => {
    const piece = pieces[k]!;
    if (k === pieces.length - 1) {
      const at = text.length - piece.length;
      return at > from && text.endsWith(piece) ? [[from, at]] : null;
    }
    for (let at = text.indexOf(piece, from + 1); at >= 0; at = text.indexOf(piece, at + 1)) {
      const rest = place(k + 1, at + piece.length);
      if (rest) return [[from, at], ...rest];
    }
    return null;
  };
  // A literal "***" in the text is not a secret the redactor hid.
  return place(1, pieces[0]!.length)?.filter(([s, e]) => text.slice(s, e) !== MASK) ?? null;
}

/**
 * Rebuilds a word with each span (offsets into its text form) replaced by a new reference. A span
 * that cuts into a `${NAME}` reference takes the whole reference.
 */
function replaceSpans(parts: readonly WordPart[], spans: ReadonlyArray<readonly [number, number]>, newName: () => string): WordPart[] {
  // For each character of the word's text form, the index of the reference it belongs to, or null.
  const refAt: Array<number | null> = [];
  const chars: string[] = [];
  parts.forEach((p, i) => {
    // By UTF-16 unit, as the redactor's offsets are.
    const t = 'ref' in p ? `\${${p.ref}}` : p.text;
    for (let j = 0; j < t.length; j++) {
      chars.push(t[j]!);
      refAt.push('ref' in p ? i : null);
    }
  });
  const widened = spans.map(([s, e]) => {
    let start = s;
    let end = e;
    while (start > 0 && refAt[start] !== null && refAt[start - 1] === refAt[start]) start--;
    while (end < chars.length && end > 0 && refAt[end - 1] !== null && refAt[end] === refAt[end - 1]) end++;
    return [start, end] as const;
  });
  const out: WordPart[] = [];
  const pushText = (t: string) => {
    const last = out[out.length - 1];
    if (last && 'text' in last) out[out.length - 1] = { text: last.text + t };
    else out.push({ text: t });
  };
  let i = 0;
  for (const [s, e] of widened) {
    if (s < i) {
      i = Math.max(i, e);
      continue;
    }
    copy(i, s);
    out.push({ ref: newName() });
    i = e;
  }
  copy(i, chars.length);
  return out;

  function copy(from: number, to: number): void {
    for (let j = from; j < to; ) {
      const ref = refAt[j];
      if (ref === null || ref === undefined) {
        pushText(chars[j]!);
        j++;
      } else {
        out.push(parts[ref]!);
        while (j < to && refAt[j] === ref) j++;
      }
    }
  }
}

/** Names the flag or word that held a secret: `the value of --value of "config set"`, `word 3 of …`. */
function describe(texts: readonly string[], i: number): string {
  const command = texts.slice(0, i).filter((t, k) => k < 2 && !t.startsWith('-')).join(' ');
  const word = texts[i]!;
  const prev = i > 0 ? texts[i - 1]! : '';
  const eq = /^(--[\w-]+)=/.exec(word);
  const what = eq ? `the value of ${eq[1]}` : prev.startsWith('--') && !prev.includes('=') && !word.startsWith('-') ? `the value of ${prev}` : `word ${i + 1}`;
  return command === '' ? what : `${what} of "${command}"`;
}
