import { describe, expect, it } from 'vitest';
import { REGEX_TIME_LIMIT_MS, boundedTest, check, literal, parseExpectation, type Expectation, type LastResult } from '../../src/shell/expectation.js';

const result = (over: Partial<LastResult> = {}): LastResult => ({ exitCode: 0, stdout: '', stderr: '', data: undefined, ...over });
const p = (line: string) => parseExpectation(line.split(' '));

describe('parseExpectation', () => {
  it('parses exit N', () => {
    expect(p('exit 0')).toEqual({ kind: 'exit', code: 0 });
    expect(p('exit 4')).toEqual({ kind: 'exit', code: 4 });
  });

  it.each(['exit', 'exit x', 'exit -1', 'exit 1 2', 'exit 1.5'])('rejects %j', (line) => {
    expect(() => p(line)).toThrow('write "expect exit N"');
  });

  it('parses stdout/stderr contains and not-contains, joining the text words', () => {
    expect(p('stdout contains hello world')).toEqual({ kind: 'text', stream: 'stdout', mode: 'contains', text: 'hello world' });
    expect(p('stderr not-contains oops')).toEqual({ kind: 'text', stream: 'stderr', mode: 'not-contains', text: 'oops' });
  });

  it('treats "output" as stdout', () => {
    expect(p('output contains x')).toEqual({ kind: 'text', stream: 'stdout', mode: 'contains', text: 'x' });
  });

  it('parses /REGEX/flags and drops the g flag', () => {
    const e = p('stdout /^ok\\s+\\d+$/im');
    expect(e.kind).toBe('regex');
    if (e.kind !== 'regex') throw new Error('unreachable');
    expect(e.stream).toBe('stdout');
    expect(e.re.source).toBe('^ok\\s+\\d+$');
    expect(e.re.flags).toBe('im');

    const g = parseExpectation(['stderr', '/a/gi']);
    if (g.kind !== 'regex') throw new Error('expected a regex expectation');
    expect(g.stream).toBe('stderr');
    expect(g.re.global).toBe(false);
    expect(g.re.ignoreCase).toBe(true);
  });

  it('allows slashes inside the regex', () => {
    const e = parseExpectation(['stdout', '/a/b/']);
    if (e.kind !== 'regex') throw new Error('expected a regex expectation');
    expect(e.re.source).toBe('a\\/b');
  });

  it.each([['stdout'], ['stdout', 'contains'], ['stderr', 'not-contains'], ['stdout', 'hello'], ['stdout', '/a', 'b/'], ['output', 'includes', 'x']])(
    'rejects %j with a usage line',
    (...words) => {
      expect(() => parseExpectation(words)).toThrow(`write "expect ${words[0]} contains TEXT" or "expect ${words[0]} /REGEX/"`);
    },
  );

  it('parses json PATH exists|missing', () => {
    expect(p('json .a exists')).toEqual({ kind: 'json', path: '.a', op: 'exists' });
    expect(p('json [0].b missing')).toEqual({ kind: 'json', path: '[0].b', op: 'missing' });
  });

  it.each(['==', '!=', '>', '>=', '<', '<=', 'contains', 'matches'])('parses json PATH %s VALUE', (op) => {
    expect(parseExpectation(['json', 'a', op, '3'])).toEqual({ kind: 'json', path: 'a', op, value: 3 });
  });

  it('reads the json value as a JSON literal where it parses, else as text', () => {
    expect(parseExpectation(['json', '[0].holder', '==', '"alice"'])).toMatchObject({ value: 'alice' });
    expect(parseExpectation(['json', 'a', '==', 'alice'])).toMatchObject({ value: 'alice' });
    expect(parseExpectation(['json', 'a', '==', 'true'])).toMatchObject({ value: true });
    expect(parseExpectation(['json', 'a', '==', 'null'])).toMatchObject({ value: null });
    expect(parseExpectation(['json', 'a', '==', '[1,', '2]'])).toMatchObject({ value: [1, 2] });
    expect(parseExpectation(['json', 'a', '==', 'two', 'words'])).toMatchObject({ value: 'two words' });
  });

  it.each([['json'], ['json', 'a'], ['json', 'a', '=='], ['json', 'a', '~=', '1'], ['json', 'a', 'exists', 'extra'], ['json', 'a', 'missing', 'x']])(
    'rejects %j',
    (...words) => {
      expect(() => parseExpectation(words)).toThrow('write "expect json PATH OP VALUE"');
    },
  );

  it('rejects unknown kinds and names them', () => {
    expect(() => parseExpectation(['status', 'ok'])).toThrow('unknown expectation "status"; use exit, stdout, stderr or json');
    expect(() => parseExpectation([])).toThrow('unknown expectation ""');
  });
});

describe('literal', () => {
  it('parses JSON and falls back to the text', () => {
    expect(literal('3')).toBe(3);
    expect(literal('-1.5')).toBe(-1.5);
    expect(literal('false')).toBe(false);
    expect(literal('{"a":1}')).toEqual({ a: 1 });
    expect(literal('"quoted"')).toBe('quoted');
    expect(literal('bare')).toBe('bare');
    expect(literal('')).toBe('');
  });
});

describe('check: exit', () => {
  const e: Expectation = { kind: 'exit', code: 0 };

  it('holds when the code matches', () => {
    expect(check(e, result())).toBeNull();
    expect(check({ kind: 'exit', code: 2 }, result({ exitCode: 2 }))).toBeNull();
  });

  it('reports the actual code', () => {
    expect(check(e, result({ exitCode: 1 }))).toBe('expected exit 0, got 1');
  });

  it('adds the first non-blank line of stderr', () => {
    expect(check(e, result({ exitCode: 2, stderr: '\n  opsdeck: bad flag\nmore detail\n' }))).toBe('expected exit 0, got 2: opsdeck: bad flag');
  });
});

describe('check: text', () => {
  const r = result({ stdout: 'service api is up\n', stderr: 'warning: slow\n' });

  it('contains', () => {
    expect(check({ kind: 'text', stream: 'stdout', mode: 'contains', text: 'api is up' }, r)).toBeNull();
    expect(check({ kind: 'text', stream: 'stdout', mode: 'contains', text: 'down' }, r)).toBe('expected stdout to contain "down"');
  });

  it('looks at the chosen stream only', () => {
    expect(check({ kind: 'text', stream: 'stderr', mode: 'contains', text: 'slow' }, r)).toBeNull();
    expect(check({ kind: 'text', stream: 'stderr', mode: 'contains', text: 'api' }, r)).toBe('expected stderr to contain "api"');
    expect(check({ kind: 'text', stream: 'stdout', mode: 'contains', text: 'slow' }, r)).toBe('expected stdout to contain "slow"');
  });

  it('not-contains', () => {
    expect(check({ kind: 'text', stream: 'stdout', mode: 'not-contains', text: 'down' }, r)).toBeNull();
    expect(check({ kind: 'text', stream: 'stderr', mode: 'not-contains', text: 'warning' }, r)).toBe('expected stderr not to contain "warning"');
  });

  it('quotes the text as JSON in messages', () => {
    expect(check({ kind: 'text', stream: 'stdout', mode: 'contains', text: 'say "hi"' }, r)).toBe('expected stdout to contain "say \\"hi\\""');
  });
});

describe('check: regex', () => {
  it('matches the chosen stream', () => {
    const r = result({ stdout: 'OK 3 instances', stderr: '' });
    expect(check(p('stdout /ok\\s\\d+/i'), r)).toBeNull();
    expect(check(p('stdout /^\\d+$/'), r)).toBe('expected stdout to match /^\\d+$/');
    expect(check(p('stderr /OK/'), r)).toBe('expected stderr to match /OK/');
  });

  it('gives the same answer on repeated checks even when written with g', () => {
    const e = p('stdout /a/g');
    const r = result({ stdout: 'a' });
    expect(check(e, r)).toBeNull();
    expect(check(e, r)).toBeNull();
  });
});

describe('check: json', () => {
  const data = {
    name: 'api',
    count: 3,
    tags: ['blue', 'green'],
    items: [{ id: 1 }, { id: 2 }],
    nothing: null,
    nested: { a: 1, b: [1, 2] },
  };
  const r = result({ data });
  const j = (path: string, op: string, value?: string) => check(parseExpectation(['json', path, op, ...(value === undefined ? [] : [value])]), r);

  it('exists / missing', () => {
    expect(j('name', 'exists')).toBeNull();
    expect(j('nothing', 'exists')).toBeNull();
    expect(j('nope', 'exists')).toBe('expected json nope exists, got (missing)');
    expect(j('nope', 'missing')).toBeNull();
    expect(j('count', 'missing')).toBe('expected json count missing, got 3');
  });

  it('== compares structurally', () => {
    expect(j('name', '==', '"api"')).toBeNull();
    expect(j('name', '==', 'api')).toBeNull();
    expect(j('count', '==', '3')).toBeNull();
    expect(j('nothing', '==', 'null')).toBeNull();
    expect(j('tags', '==', '["blue","green"]')).toBeNull();
    expect(j('nested', '==', '{"a":1,"b":[1,2]}')).toBeNull();
  });

  it('== fails with expected and actual values', () => {
    expect(j('count', '==', '4')).toBe('expected json count == 4, got 3');
    expect(j('count', '==', '"3"')).toBe('expected json count == "3", got 3');
    expect(j('name', '==', 'web')).toBe('expected json name == "web", got "api"');
    expect(j('nope', '==', '1')).toBe('expected json nope == 1, got (missing)');
    expect(j('tags', '==', '["green","blue"]')).toBe('expected json tags == ["green","blue"], got ["blue","green"]');
  });

  // Suspected bug: deepEqual compares JSON.stringify output, so objects with the same members in a
  // different key order are reported unequal.
  it('== ignores object key order', () => {
    expect(j('nested', '==', '{"b":[1,2],"a":1}')).toBeNull();
  });

  it('!=', () => {
    expect(j('count', '!=', '4')).toBeNull();
    expect(j('nope', '!=', '4')).toBeNull();
    expect(j('count', '!=', '3')).toBe('expected json count != 3, got 3');
  });

  it('numeric comparisons', () => {
    expect(j('count', '>', '2')).toBeNull();
    expect(j('count', '>', '3')).toBe('expected json count > 3, got 3');
    expect(j('count', '>=', '3')).toBeNull();
    expect(j('count', '>=', '4')).toBe('expected json count >= 4, got 3');
    expect(j('count', '<', '4')).toBeNull();
    expect(j('count', '<', '3')).toBe('expected json count < 3, got 3');
    expect(j('count', '<=', '3')).toBeNull();
    expect(j('count', '<=', '2')).toBe('expected json count <= 2, got 3');
    expect(j('tags.length', '==', '2')).toBeNull();
  });

  it('numeric comparisons fail for non-numbers on either side', () => {
    expect(j('name', '>', '1')).toBe('expected json name > 1, got "api"');
    expect(j('count', '<', '"9"')).toBe('expected json count < "9", got 3');
    expect(j('nope', '<', '9')).toBe('expected json nope < 9, got (missing)');
  });

  it('contains looks for an element of an array or a substring of a string', () => {
    expect(j('tags', 'contains', 'green')).toBeNull();
    expect(j('items', 'contains', '{"id":2}')).toBeNull();
    expect(j('tags', 'contains', 'red')).toBe('expected json tags contains "red", got ["blue","green"]');
    expect(j('name', 'contains', 'p')).toBeNull();
    expect(j('name', 'contains', 'x')).toBe('expected json name contains "x", got "api"');
    expect(j('count', 'contains', '3')).toBe('expected json count contains 3, got 3');
    expect(j('nested', 'contains', 'a')).not.toBeNull();
  });

  it('matches tests strings against a regex', () => {
    expect(j('name', 'matches', '^a.i$')).toBeNull();
    expect(j('name', 'matches', '^b')).toBe('expected json name matches "^b", got "api"');
    expect(j('count', 'matches', '3')).toBe('expected json count matches 3, got 3');
  });

  it('reports an unreadable path instead of throwing', () => {
    expect(check({ kind: 'json', path: 'a..b', op: 'exists' }, r)).toBe('cannot read path "a..b" at "..b"');
  });

  it('reads the data of the given result', () => {
    expect(check({ kind: 'json', path: '[0].holder', op: '==', value: 'alice' }, result({ data: [{ holder: 'alice' }] }))).toBeNull();
    expect(check({ kind: 'json', path: '[0].holder', op: 'exists' }, result({ data: null }))).toBe('expected json [0].holder exists, got (missing)');
  });
});

describe('regular expressions of a script are bounded in time', () => {
  // (a+)+$ against a run of a's that ends in b backtracks through every way of splitting the run:
  // 2^40 steps here, days of work without a bound.
  const evil = 'a'.repeat(40) + 'b';

  it('expect stdout /RE/ stops a runaway regex and says so', () => {
    const problem = check(p('stdout /(a+)+$/'), result({ stdout: evil }));
    expect(problem).toBe(`the regular expression /(a+)+$/ ran longer than ${REGEX_TIME_LIMIT_MS} ms on stdout (41 characters) and was stopped (hint: simplify it; nested repetition such as (a+)+ can backtrack without end)`);
  });

  it('expect json PATH matches stops a runaway regex and says so', () => {
    const problem = check(parseExpectation(['json', 'name', 'matches', '"(a+)+$"']), result({ data: { name: evil } }));
    expect(problem).toMatch(/^the regular expression \/\(a\+\)\+\$\/ ran longer than \d+ ms on json name \(41 characters\) and was stopped/);
  });

  it('keeps working after a stopped regex, with backreferences and lookarounds intact', () => {
    expect(boundedTest(/(a+)+$/, evil, 20)).toBe('stopped');
    expect(boundedTest(/(\w)\1/, 'xaay')).toBe(true);
    expect(boundedTest(/(?<=a)b(?!c)/, 'abd')).toBe(true);
    expect(boundedTest(/^z/, 'abc')).toBe(false);
    expect(check(parseExpectation(['stderr', '/held by \\w+/']), result({ stderr: 'opsdeck: lock x is held by bob' }))).toBeNull();
  });

  it('an invalid pattern is an error of the expect line, found when it is parsed', () => {
    expect(() => p('stdout /(/')).toThrow(/^invalid regular expression \/\(\/: /);
    expect(() => parseExpectation(['json', 'name', 'matches', '"a["'])).toThrow(/^invalid regular expression \/a\[\/: /);
  });

  it('an unreadable json path is an error of the expect line, found when it is parsed', () => {
    expect(() => parseExpectation(['json', 'a..b', 'exists'])).toThrow('cannot read path "a..b" at "..b"');
  });
});
