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

/**
 * Bounds on what opsdeck parses, checked by `promqlBounds` in one linear pass before the Lezer
 * parser sees the text. The parser builds its tree recursively, one call per tree level, so a
 * deep enough expression overflows the stack; and a multi-megabyte one takes minutes. Real
 * queries are far inside all three.
 */
export const PROMQL_LIMITS = {
  /** Characters in one expression: 256 KiB, room for a regex alternation of thousands of hosts. */
  chars: 262_144,
  /** Brackets ( { [ open at once. */
  nesting: 128,
  /**
   * Levels of the parse tree, estimated from above: at every bracket level the words, operators
   * and brackets in it (a chain `a + b + c` nests one level per operator), plus 2, summed along
   * the deepest path of brackets. Lezer's own tree stays under this, and the stack has room for
   * about three times more. Chains longer than this already fail in Lezer's grammar.
   */
  depth: 1000,
} as const;

/**
 * The first bound `expr` breaks, as a position and a sentence, or null. Linear and without
 * recursion, so it is safe on any input, and it runs before any parsing.
 */
export function promqlBounds(expr: string): { from: number; to: number; message: string } | null {
  if (expr.length > PROMQL_LIMITS.chars) {
    return { from: PROMQL_LIMITS.chars, to: expr.length, message: `the expression is ${expr.length} characters long, over the limit of ${PROMQL_LIMITS.chars} (hint: split it into smaller queries)` };
  }
  // One entry per open bracket level: its tokens so far, and the deepest closed level inside it.
  const levels: Array<{ char: string; tokens: number; inner: number }> = [{ char: '', tokens: 0, inner: 0 }];
  const close = (): void => {
    const done = levels.pop()!;
    const top = levels[levels.length - 1]!;
    top.inner = Math.max(top.inner, done.tokens + 2 + done.inner);
  };
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    const top = levels[levels.length - 1]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(expr, i);
      top.tokens++;
      i = end < 0 ? expr.length : end + 1;
    } else if (c === '#') {
      const nl = expr.indexOf('\n', i);
      i = nl < 0 ? expr.length : nl + 1;
    } else if (isWordChar(expr.charCodeAt(i))) {
      top.tokens++;
      while (i < expr.length && isWordChar(expr.charCodeAt(i))) i++;
    } else if (c === '(' || c === '{' || c === '[') {
      top.tokens++;
      levels.push({ char: c, tokens: 0, inner: 0 });
      if (levels.length - 1 > PROMQL_LIMITS.nesting) {
        return { from: i, to: i + 1, message: `brackets nest more than ${PROMQL_LIMITS.nesting} levels deep here, the limit (hint: simplify the expression)` };
      }
      i++;
    } else {
      // A closer that matches pops its level; any other character (an operator, a stray closer) is a token.
      if (c in CLOSER && levels.length > 1 && top.char === CLOSER[c]) close();
      else top.tokens++;
      i++;
    }
  }
  while (levels.length > 1) close();
  const depth = levels[0]!.tokens + levels[0]!.inner;
  if (depth > PROMQL_LIMITS.depth) {
    return { from: 0, to: expr.length, message: `the expression is too deep to check: about ${depth} levels of brackets and chained operators, over the limit of ${PROMQL_LIMITS.depth} (hint: split it into smaller queries)` };
  }
  return null;
}

/** Letters, digits, _ : and . — the characters of names, numbers and durations. */
function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 58) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46;
}
