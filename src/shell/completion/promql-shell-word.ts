/**
 * Maps between a console word as typed (quotes and escapes included) and the text the command
 * receives, so a span of a PromQL expression can be found on the line and replaced there.
 */
export type Quote = '' | "'" | '"';

export interface ShellWord {
  /** The unquoted text. */
  text: string;
  /** For each text character: where it starts and ends on the line, and the quoting it was typed in. */
  rawAt: number[];
  rawEnd: number[];
  quote: Quote[];
  /** Where text appended at the end goes on the line (before a closing quote), and its quoting. */
  endRaw: number;
  endQuote: Quote;
}

/** Reads the word starting at `start` (as scan-line does, quotes may stay open) up to `end`. */
export function shellWord(line: string, start: number, end: number): ShellWord {
  const w: ShellWord = { text: '', rawAt: [], rawEnd: [], quote: [], endRaw: end, endQuote: '' };
  let open: Quote = '';
  let closedAt = -1;
  const push = (c: string, from: number, to: number) => {
    w.text += c;
    w.rawAt.push(from);
    w.rawEnd.push(to);
    w.quote.push(open);
    closedAt = -1;
  };
  let i = start;
  while (i < end) {
    const c = line[i]!;
    if (open === "'") {
      if (c === "'") {
        open = '';
        closedAt = i;
      } else push(c, i, i + 1);
      i++;
    } else if (open === '"') {
      const next = line[i + 1];
      if (c === '"') {
        open = '';
        closedAt = i;
        i++;
      } else if (c === '\\' && next !== undefined && i + 1 < end && '"\\$'.includes(next)) {
        push(next, i, i + 2);
        i += 2;
      } else {
        push(c, i, i + 1);
        i++;
      }
    } else if (c === "'" || c === '"') {
      open = c;
      i++;
    } else if (c === '\\' && i + 1 < end) {
      push(line[i + 1]!, i, i + 2);
      i += 2;
    } else {
      push(c, i, i + 1);
      i++;
    }
  }
  if (open !== '') {
    w.endRaw = end;
    w.endQuote = open;
  } else if (closedAt >= 0) {
    // The word ends with a closing quote: appending goes inside it.
    w.endRaw = closedAt;
    w.endQuote = line[closedAt] as Quote;
  }
  return w;
}

/** How many characters of the text lie before the line position `at`. */
export function textOffset(w: ShellWord, at: number): number {
  let n = 0;
  while (n < w.rawEnd.length && w.rawEnd[n]! <= at) n++;
  return n;
}

/**
 * The line span of text span [from, to) and its quoting, or null when the span crosses a change
 * of quoting (it could not be replaced by one run of text).
 */
export function lineSpan(w: ShellWord, from: number, to: number): { from: number; to: number; quote: Quote } | null {
  if (from >= w.text.length) return { from: w.endRaw, to: w.endRaw, quote: w.endQuote };
  const quote = w.quote[from]!;
  for (let k = from; k < to; k++) {
    if (w.quote[k] !== quote) return null;
    if (k > from && w.rawAt[k] !== w.rawEnd[k - 1]) return null;
  }
  return { from: w.rawAt[from]!, to: to > from ? w.rawEnd[to - 1]! : w.rawAt[from]!, quote };
}

/** Writes `text` so that, typed inside `quote`, the tokenizer reads it back unchanged. */
export function encodeFor(quote: Quote, text: string): string {
  if (quote === "'") return text.replace(/'/g, `'\\''`);
  if (quote === '"') return text.replace(/["\\$]/g, (c) => `\\${c}`);
  return text.replace(/[\s'"\\$#]/g, (c) => `\\${c}`);
}
