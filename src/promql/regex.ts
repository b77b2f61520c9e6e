import { notSupported, promqlError } from './errors.js';

/**
 * Translates an RE2 pattern (Go's regexp syntax, what Prometheus uses) into an equivalent
 * JavaScript RegExp, anchored at both ends as Prometheus anchors label regexes. Go and JS agree on
 * leftmost-first matching, so only the syntax differs: Go's `.` skips only `\n`, its `\s` has no
 * `\v`, `\Q…\E` quotes, `(?i)` flags sit inside the pattern, `(?P<name>` names groups, and a
 * brace that starts no valid repetition is a literal. Perl syntax RE2 rejects (backreferences,
 * lookaround) is rejected here too.
 */
export function re2ToRegExp(pattern: string, anchored = true): RegExp {
  let flags = 'u';
  let src = pattern;
  // Leading flag groups are the common case: (?i), (?s), (?is).
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i') flags += 'i';
      else if (f === 's') flags += 's';
      else if (f === 'm') flags += 'm';
      else notSupported(`the regex flag ${f}`);
    }
    src = src.slice(lead[0].length);
  }
  const body = translate(src, flags.includes('s'));
  try {
    return new RegExp(anchored ? `^(?:${body})$` : body, flags);
  } catch (e) {
    return promqlError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

const hex = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

function translate(src: string, dotAll: boolean): string {
  let out = '';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') {
      const [text, len] = escape(src, i, false);
      out += text;
      i += len;
    } else if (c === '[') {
      const [text, len] = charClass(src, i);
      out += text;
      i += len;
    } else if (c === '.') {
      out += dotAll ? '[^]' : '[^\\n]';
      i++;
    } else if (c === '(') {
      if (src[i + 1] === '?') {
        const rest = src.slice(i + 2);
        if (rest.startsWith(':')) {
          out += '(?:';
          i += 3;
        } else if (rest.startsWith('P<')) {
          out += '(?<';
          i += 4;
        } else if (/^[imsU-]+:/.test(rest) || /^[imsU-]+\)/.test(rest)) {
          return notSupported('regex flags inside the pattern (only a leading (?i) or (?s) is supported)');
        } else {
          return promqlError(`invalid regular expression: invalid or unsupported Perl syntax: (?${rest.slice(0, 1)}`);
        }
      } else {
        out += '(';
        i++;
      }
    } else if (c === '{') {
      const rep = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (rep && out !== '') {
        if (Number(rep[1]) > 1000 || (rep[3] && Number(rep[3]) > 1000)) promqlError('invalid regular expression: invalid repeat count');
        out += rep[0];
        i += rep[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}') {
      out += '\\}';
      i++;
    } else if (c === '$') {
      // Without (?m), Go's $ is the end of the text, as JS's is without the m flag.
      out += '$';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** One escape at src[i] ('\\'); returns the JS text and how many characters it used. */
function escape(src: string, i: number, inClass: boolean): [string, number] {
  const e = src[i + 1];
  if (e === undefined) return promqlError('invalid regular expression: trailing backslash at end of expression');
  switch (e) {
    case 'd':
      return [inClass ? '0-9' : '[0-9]', 2];
    case 'D':
      return inClass ? notSupported('\\D inside a character class') : ['[^0-9]', 2];
    case 'w':
      return [inClass ? '0-9A-Za-z_' : '[0-9A-Za-z_]', 2];
    case 'W':
      return inClass ? notSupported('\\W inside a character class') : ['[^0-9A-Za-z_]', 2];
    case 's':
      return [inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]', 2];
    case 'S':
      return inClass ? notSupported('\\S inside a character class') : ['[^\\t\\n\\f\\r ]', 2];
    case 'b':
    case 'B':
      return inClass ? promqlError('invalid regular expression: invalid escape sequence') : [`\\${e}`, 2];
    case 'A':
      return ['^', 2];
    case 'z':
      return ['$', 2];
    case 'n':
    case 't':
    case 'r':
    case 'f':
    case 'v':
      return [`\\${e}`, 2];
    case 'a':
      return ['\\x07', 2];
    case 'x': {
      const m = /^\\x(?:([0-9a-fA-F]{2})|\{([0-9a-fA-F]+)\})/.exec(src.slice(i));
      if (!m) return promqlError('invalid regular expression: invalid escape sequence');
      return [`\\u{${(m[1] ?? m[2])!}}`, m[0].length];
    }
    case 'p':
    case 'P': {
      const m = /^\\[pP](?:\{(\^?)([A-Za-z_]+)\}|([A-Za-z]))/.exec(src.slice(i));
      if (!m) return promqlError('invalid regular expression: invalid character class range');
      const negate = (e === 'P') !== (m[1] === '^');
      const name = m[2] ?? m[3]!;
      const prop = name.length <= 2 ? `General_Category=${name}` : name === 'Any' ? 'Any' : `Script=${name}`;
      return [`\\${negate ? 'P' : 'p'}{${prop}}`, m[0].length];
    }
    case 'Q': {
      const end = src.indexOf('\\E', i + 2);
      const lit = src.slice(i + 2, end < 0 ? undefined : end);
      return [[...lit].map(hex).join(''), lit.length + 2 + (end < 0 ? 0 : 2)];
    }
    case 'E':
      return ['', 2];
    default:
      if (/[0-7]/.test(e)) {
        if (e === '0' || !inClass) {
          const m = /^\\([0-7]{1,3})/.exec(src.slice(i))!;
          if (m[1]!.length > 1 || e === '0') return [`\\u{${parseInt(m[1]!, 8).toString(16)}}`, m[0].length];
        }
        return promqlError('invalid regular expression: invalid escape sequence (backreferences are not RE2)');
      }
      if (/[!-/:-@[-`{-~]/.test(e)) return [hex(e), 2];
      return promqlError(`invalid regular expression: invalid escape sequence \\${e}`);
  }
}

/** A bracket expression at src[i] ('['), written out with explicit code points. */
function charClass(src: string, i: number): [string, number] {
  let j = i + 1;
  let out = '[';
  if (src[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  for (;;) {
    if (j >= src.length) return promqlError('invalid regular expression: missing closing ]');
    const c = src[j]!;
    if (c === ']' && !first) break;
    first = false;
    if (c === '[' && src[j + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(j));
      if (!m || !(m[2]! in POSIX)) return promqlError('invalid regular expression: invalid character class range');
      if (m[1]) return notSupported('negated POSIX classes inside a bracket');
      out += POSIX[m[2]!];
      j += m[0].length;
    } else if (c === '\\') {
      const [text, len] = escape(src, j, true);
      out += text;
      j += len;
    } else if (c === '-' ) {
      out += '\\-';
      j++;
    } else {
      const cp = src.codePointAt(j)!;
      out += hex(String.fromCodePoint(cp));
      j += cp > 0xffff ? 2 : 1;
    }
  }
  // Go writes a range as a-z, JS too; the '-' was escaped above, so restore ranges between two atoms.
  out = out.replace(/(\\u\{[0-9a-f]+\}|[0-9A-Za-z])\\-(\\u\{[0-9a-f]+\}|[0-9A-Za-z])/g, '$1-$2');
  return [out + ']', j + 1 - i];
}
