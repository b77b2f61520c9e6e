/**
 * A lexical pass over PromQL text that the Lezer grammar does not give us directly: which string
 * or comment is open at the end, and which brackets are still open. The grammar accepts an
 * unclosed "… as a string literal without an error node, so the linter needs this to flag it, and
 * completion needs it to know the cursor sits inside a string.
 */
export interface PromqlScan {
  /** The string still open at the end of the text: its quote and where it starts. */
  openString: { quote: '"' | "'" | '`'; at: number } | null;
  /** The text ends inside a # comment. */
  inComment: boolean;
  /** Brackets opened and not closed, innermost last. */
  open: Array<{ char: '(' | '{' | '['; at: number }>;
  /** The first closing bracket that matches nothing or the wrong opener. */
  stray: { char: string; at: number } | null;
}

const CLOSER: Record<string, '(' | '{' | '['> = { ')': '(', '}': '{', ']': '[' };

export function scanPromql(text: string): PromqlScan {
  const open: PromqlScan['open'] = [];
  let stray: PromqlScan['stray'] = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i);
      if (end < 0) return { openString: { quote: c, at: i }, inComment: false, open, stray };
      i = end + 1;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return { openString: null, inComment: true, open, stray };
      i = nl + 1;
    } else {
      if (c === '(' || c === '{' || c === '[') open.push({ char: c, at: i });
      else if (c in CLOSER) {
        if (open.length > 0 && open[open.length - 1]!.char === CLOSER[c]) open.pop();
        else stray ??= { char: c, at: i };
      }
      i++;
    }
  }
  return { openString: null, inComment: false, open, stray };
}

/**
 * Where the string starting at `start` closes, or -1. Backslash escapes apply in "…" and '…';
 * backticks are raw, as in Go.
 */
export function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quote !== '`') i++;
    else if (c === quote) return i;
  }
  return -1;
}
