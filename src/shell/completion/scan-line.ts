/** A word of a console line as completion sees it. */
export interface Word {
  /** Span in the line, quotes and escapes included. */
  start: number;
  end: number;
  /** The text the command will see: quotes removed, escapes resolved, ${VAR} left as typed. */
  text: string;
  /** The quote still open where the word stops ('' when none): the user is typing inside it. */
  open: '' | '"' | "'";
}

export interface ScannedLine {
  words: Word[];
  /** Where a # comment starts, or -1. */
  commentAt: number;
}

/**
 * Splits a line the way `tokenize` does (whitespace, '…', "…" with \" \\ \$, backslash escapes,
 * # at a word start), but never fails: the line is being typed, so an unclosed quote simply runs
 * to the end, and ${VAR} is kept as typed because completion must not depend on variables.
 */
export function scanLine(line: string): ScannedLine {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '#') {
      return { words, commentAt: i };
    } else {
      const w = readWord(line, i, line.length);
      words.push(w);
      i = w.end;
    }
  }
  return { words, commentAt: -1 };
}

/** Reads one word from `start`, stopping at whitespace outside quotes or at `stop`. */
export function readWord(line: string, start: number, stop: number): Word {
  let text = '';
  let open: Word['open'] = '';
  let i = start;
  while (i < stop) {
    const c = line[i]!;
    if (open === "'") {
      if (c === "'") open = '';
      else text += c;
      i++;
    } else if (open === '"') {
      const next = line[i + 1];
      if (c === '"') {
        open = '';
        i++;
      } else if (c === '\\' && i + 1 < stop && next !== undefined && '"\\$'.includes(next)) {
        text += next;
        i += 2;
      } else {
        text += c;
        i++;
      }
    } else if (c === ' ' || c === '\t') {
      break;
    } else if (c === "'" || c === '"') {
      open = c;
      i++;
    } else if (c === '\\' && i + 1 < stop) {
      text += line[i + 1];
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  return { start, end: i, text, open };
}
