/** Thrown for a line the tokenizer cannot split; the runner reports it with file:line. */
export class TokenizeError extends Error {}

/** A ${NAME} that nothing defines: no --var, no set/capture line before it, no environment variable. */
export class UnsetVariableError extends TokenizeError {
  constructor(readonly variable: string) {
    super(`variable ${variable} is not set (pass --var ${variable}=..., "set ${variable} ...", or export it)`);
  }
}

/**
 * Splits a console line into words the way a POSIX shell would for the common cases: whitespace
 * separates, '…' is literal, "…" allows \" \\ \$ and ${VAR}, a backslash escapes outside quotes,
 * and # starts a comment at the start of a word. ${VAR} expands in bare words and "…" only.
 */
export function tokenize(line: string, lookup: (name: string) => string | undefined): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const expand = (): void => {
    const end = line.indexOf('}', i + 2);
    if (end < 0) throw new TokenizeError('unclosed ${ in the line');
    const name = line.slice(i + 2, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TokenizeError(`invalid variable name "${name}"`);
    const value = lookup(name);
    if (value === undefined) throw new UnsetVariableError(name);
    cur += value;
    i = end + 1;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new TokenizeError("unclosed ' quote");
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new TokenizeError('unclosed " quote');
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
        } else if (d === '$' && line[i + 1] === '{') {
          expand();
        } else {
          cur += d;
          i++;
        }
      }
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (c === '$' && line[i + 1] === '{') {
      expand();
      inWord = true;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Expands ${VAR} in raw text without any other shell processing (used for expectation tails). */
export function expandVariables(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TokenizeError(`invalid variable name "${name}"`);
    const value = lookup(name);
    if (value === undefined) throw new UnsetVariableError(name);
    return value;
  });
}

/**
 * Splits an `expect` line so that its last part stays raw: regexes keep their backslashes and
 * text needs no quoting. `expect stdout contains held by alice` → [stdout, contains, held by alice].
 * A tail wrapped in matching quotes loses them.
 */
export function splitExpectation(rest: string, lookup: (name: string) => string | undefined): string[] {
  const text = expandVariables(rest.trim(), lookup);
  const head = (n: number, keepQuotes = false): string[] => {
    const words: string[] = [];
    let tail = text;
    while (words.length < n) {
      const m = /^(\S+)\s*/.exec(tail);
      if (!m) break;
      words.push(m[1]!);
      tail = tail.slice(m[0].length);
    }
    return tail === '' ? words : [...words, keepQuotes ? tail.trimEnd() : unquote(tail.trimEnd())];
  };
  const what = /^\S+/.exec(text)?.[0];
  // A JSON value keeps its quotes: `== "3"` is the string, `== 3` the number.
  if (what === 'json') return head(3, true);
  if (what === 'stdout' || what === 'stderr' || what === 'output') {
    const mode = /^\S+\s+(\S+)/.exec(text)?.[1];
    return head(mode === 'contains' || mode === 'not-contains' ? 2 : 1);
  }
  return text.split(/\s+/).filter(Boolean);
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}
