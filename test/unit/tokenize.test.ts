import { describe, expect, it } from 'vitest';
import { TokenizeError, expandVariables, splitExpectation, tokenize } from '../../src/shell/tokenize.js';

const vars: Record<string, string> = { NAME: 'alice', SPACED: 'a b', EMPTY: '', Q: '"x"', _under1: 'u' };
const lookup = (name: string): string | undefined => vars[name];
const tok = (line: string) => tokenize(line, lookup);

function tokenizeError(line: string): TokenizeError {
  try {
    tok(line);
  } catch (e) {
    expect(e).toBeInstanceOf(TokenizeError);
    return e as TokenizeError;
  }
  throw new Error(`expected ${JSON.stringify(line)} to fail`);
}

describe('tokenize: words', () => {
  it('splits on spaces and tabs, collapsing runs', () => {
    expect(tok('locks acquire  deploy\t\tx')).toEqual(['locks', 'acquire', 'deploy', 'x']);
  });

  it('ignores leading and trailing whitespace', () => {
    expect(tok('   a b   ')).toEqual(['a', 'b']);
  });

  it('returns no words for an empty or blank line', () => {
    expect(tok('')).toEqual([]);
    expect(tok(' \t ')).toEqual([]);
  });
});

describe('tokenize: quotes', () => {
  it('keeps single-quoted text literal, including backslashes and $', () => {
    expect(tok("say 'hello  world'")).toEqual(['say', 'hello  world']);
    expect(tok("'a\\b \"c\" $x'")).toEqual(['a\\b "c" $x']);
  });

  it('keeps double-quoted text as one word', () => {
    expect(tok('say "hello  world"')).toEqual(['say', 'hello  world']);
  });

  it('joins quoted and bare parts of one word', () => {
    expect(tok(`a'b c'd"e f"g`)).toEqual(['ab cde fg']);
    expect(tok(`--name="x y"`)).toEqual(['--name=x y']);
  });

  it('produces empty words for empty quotes', () => {
    expect(tok(`a '' ""`)).toEqual(['a', '', '']);
  });

  it('allows \\" \\\\ and \\$ escapes inside double quotes', () => {
    expect(tok('"a \\"b\\" c"')).toEqual(['a "b" c']);
    expect(tok('"back\\\\slash"')).toEqual(['back\\slash']);
    expect(tok('"\\${NAME}"')).toEqual(['${NAME}']);
  });

  it('keeps other backslashes inside double quotes', () => {
    expect(tok('"a\\nb"')).toEqual(['a\\nb']);
  });

  it('reports an unclosed single quote', () => {
    expect(tokenizeError("echo 'abc").message).toBe("unclosed ' quote");
  });

  it('reports an unclosed double quote', () => {
    expect(tokenizeError('echo "abc').message).toBe('unclosed " quote');
    expect(tokenizeError('echo "abc\\"').message).toBe('unclosed " quote');
  });
});

describe('tokenize: backslash outside quotes', () => {
  it('escapes the next character', () => {
    expect(tok('a\\ b')).toEqual(['a b']);
    expect(tok('\\"x\\"')).toEqual(['"x"']);
    expect(tok("\\'x")).toEqual(["'x"]);
    expect(tok('\\#not-a-comment')).toEqual(['#not-a-comment']);
  });

  it('keeps a lone trailing backslash', () => {
    expect(tok('a\\')).toEqual(['a\\']);
  });
});

describe('tokenize: comments', () => {
  it('drops a # at the start of a word and the rest of the line', () => {
    expect(tok('status # all good')).toEqual(['status']);
    expect(tok('# only a comment')).toEqual([]);
    expect(tok('a #b c')).toEqual(['a']);
  });

  it('keeps # inside a word or inside quotes', () => {
    expect(tok('issue#42')).toEqual(['issue#42']);
    expect(tok(`"#x" '#y'`)).toEqual(['#x', '#y']);
  });
});

describe('tokenize: ${VAR} expansion', () => {
  it('expands in bare words', () => {
    expect(tok('hello ${NAME}')).toEqual(['hello', 'alice']);
    expect(tok('pre-${NAME}-post')).toEqual(['pre-alice-post']);
    expect(tok('${_under1}')).toEqual(['u']);
  });

  it('expands inside double quotes', () => {
    expect(tok('"hi ${NAME}!"')).toEqual(['hi alice!']);
  });

  it('does not expand inside single quotes, even when unset', () => {
    expect(tok("'${NAME}'")).toEqual(['${NAME}']);
    expect(tok("'${NOPE}'")).toEqual(['${NOPE}']);
  });

  it('does not split or re-scan expanded values', () => {
    expect(tok('${SPACED}')).toEqual(['a b']);
    expect(tok('${Q}')).toEqual(['"x"']);
  });

  it('keeps an empty expansion as an empty word', () => {
    expect(tok('a ${EMPTY} b')).toEqual(['a', '', 'b']);
  });

  it('does not treat $NAME without braces or an escaped $ as a reference', () => {
    expect(tok('$NAME')).toEqual(['$NAME']);
    expect(tok('\\${NAME}')).toEqual(['${NAME}']);
    expect(tok('cost $5')).toEqual(['cost', '$5']);
  });

  it('asks the lookup function, not a fixed table', () => {
    const seen: string[] = [];
    expect(
      tokenize('${A}${B}', (n) => {
        seen.push(n);
        return n.toLowerCase();
      }),
    ).toEqual(['ab']);
    expect(seen).toEqual(['A', 'B']);
  });

  it('reports unset variables with a hint', () => {
    const e = tokenizeError('echo ${MISSING}');
    expect(e.message).toMatch(/^variable MISSING is not set/);
    expect(e.message).toContain('--var MISSING=');
    expect(tokenizeError('echo "${MISSING}"').message).toMatch(/^variable MISSING is not set/);
  });

  it('reports an unclosed ${', () => {
    expect(tokenizeError('echo ${NAME').message).toBe('unclosed ${ in the line');
    expect(tokenizeError('echo "${NAME"').message).toBe('unclosed ${ in the line');
  });

  it('reports invalid variable names', () => {
    expect(tokenizeError('${1X}').message).toBe('invalid variable name "1X"');
    expect(tokenizeError('${}').message).toBe('invalid variable name ""');
    expect(tokenizeError('${A-B}').message).toBe('invalid variable name "A-B"');
  });

  it('is a subclass of Error', () => {
    expect(tokenizeError("'x")).toBeInstanceOf(Error);
  });
});

describe('expandVariables', () => {
  it('replaces ${NAME} anywhere in raw text', () => {
    expect(expandVariables('held by ${NAME} at ${NAME}', lookup)).toBe('held by alice at alice');
  });

  it('does no other shell processing', () => {
    expect(expandVariables(`'\${NAME}' "q" \\d # x`, lookup)).toBe(`'\alice' "q" \\d # x`);
    expect(expandVariables('$NAME ${NAME', lookup)).toBe('$NAME ${NAME');
  });

  it('inserts values literally', () => {
    expect(expandVariables('${V}', () => "$&$'")).toBe("$&$'");
  });

  it('reports unset variables and invalid names', () => {
    expect(() => expandVariables('x ${MISSING}', lookup)).toThrow(TokenizeError);
    expect(() => expandVariables('x ${MISSING}', lookup)).toThrow(/^variable MISSING is not set/);
    expect(() => expandVariables('${1X}', lookup)).toThrow('invalid variable name "1X"');
    expect(() => expandVariables('${}', lookup)).toThrow('invalid variable name ""');
  });
});

describe('splitExpectation', () => {
  const split = (rest: string) => splitExpectation(rest, lookup);

  it('keeps the text after contains / not-contains raw and whole', () => {
    expect(split('stdout contains held by alice')).toEqual(['stdout', 'contains', 'held by alice']);
    expect(split('  stderr   not-contains   two  spaces  ')).toEqual(['stderr', 'not-contains', 'two  spaces']);
    expect(split('output contains a # not a comment')).toEqual(['output', 'contains', 'a # not a comment']);
  });

  it('keeps regexes raw, with backslashes and spaces', () => {
    expect(split('stdout /orders\\s+5\\s+5\\/5/')).toEqual(['stdout', '/orders\\s+5\\s+5\\/5/']);
    expect(split('stderr /a b/i')).toEqual(['stderr', '/a b/i']);
  });

  it('drops one pair of matching quotes around the tail', () => {
    expect(split('stdout contains "a b"')).toEqual(['stdout', 'contains', 'a b']);
    expect(split("stdout contains 'a b'")).toEqual(['stdout', 'contains', 'a b']);
    expect(split('stdout contains "a b\'')).toEqual(['stdout', 'contains', '"a b\'']);
    expect(split('stdout contains "')).toEqual(['stdout', 'contains', '"']);
    expect(split('stdout contains say "hi"')).toEqual(['stdout', 'contains', 'say "hi"']);
  });

  it('splits json lines into path, operator and a raw value', () => {
    expect(split('json [0].holder == "alice"')).toEqual(['json', '[0].holder', '==', '"alice"']);
    expect(split('json length >= 5')).toEqual(['json', 'length', '>=', '5']);
    expect(split('json .a == two  words')).toEqual(['json', '.a', '==', 'two  words']);
    expect(split('json .tags == ["a", "b"]')).toEqual(['json', '.tags', '==', '["a", "b"]']);
    expect(split('json .a exists')).toEqual(['json', '.a', 'exists']);
    expect(split('json .a')).toEqual(['json', '.a']);
  });

  it('splits other expectations into plain words', () => {
    expect(split('exit 1')).toEqual(['exit', '1']);
    expect(split(' exit  1  2 ')).toEqual(['exit', '1', '2']);
    expect(split('stdout contains')).toEqual(['stdout', 'contains']);
    expect(split('stdout')).toEqual(['stdout']);
    expect(split('')).toEqual([]);
  });

  it('expands variables before splitting', () => {
    expect(split('stderr contains held by ${NAME}')).toEqual(['stderr', 'contains', 'held by alice']);
    expect(split('json [0].holder == ${NAME}')).toEqual(['json', '[0].holder', '==', 'alice']);
    expect(() => split('stdout contains ${MISSING}')).toThrow(TokenizeError);
  });
});
