import { describe, expect, it } from 'vitest';
import { redactWords } from '../../src/shell/redact-words.js';
import { tokenize } from '../../src/shell/tokenize.js';
import { withoutYes } from '../../src/shell/without-yes.js';
import { wordParts } from '../../src/shell/word-parts.js';

/** Tokenizes a redacted line with the secrets given back, as a replay with --var would. */
const replayed = (line: string, vars: Record<string, string>) => tokenize(line, (n) => vars[n]);

describe('redactWords', () => {
  it('probe 6: a quoted value keeps its closing quote and the rest of the line', () => {
    const r = redactWords("config set pw3.txt --value 'token: X' --type text");
    expect(r.line).toBe("config set pw3.txt --value 'token: '${SECRET_1} --type text");
    expect(r.line).not.toContain('X');
    expect(r.secrets).toEqual([{ name: 'SECRET_1', where: 'the value of --value of "config set"' }]);
    expect(replayed(r.line, { SECRET_1: 'X' })).toEqual(['config', 'set', 'pw3.txt', '--value', 'token: X', '--type', 'text']);
    // Without the variable the line does not run at all.
    expect(() => replayed(r.line, {})).toThrow(/SECRET_1 is not set/);
  });

  it('hides every secret of a word, numbering from the first number given', () => {
    const line = `config set app.properties --value "db.url=postgres://app:p@ss@db:5432/x password=hunter2 user=bob"`;
    const r = redactWords(line, 4);
    expect(r.secrets.map((s) => s.name)).toEqual(['SECRET_4', 'SECRET_5']);
    expect(r.line).not.toMatch(/p@ss|hunter2/);
    expect(r.line).toContain('user=bob');
    expect(replayed(r.line, { SECRET_4: 'p@ss', SECRET_5: 'hunter2' })).toEqual(tokenize(line, () => undefined));
  });

  it('secrets in a URL argument and a --flag=value word', () => {
    const r = redactWords('profile test --url=redis://:s3cret@cache:6379/0 http://u:pw@h/');
    expect(r.line).toBe('profile test --url=redis://:${SECRET_1}@cache:6379/0 http://u:${SECRET_2}@h/');
    expect(r.secrets.map((s) => s.where)).toEqual(['the value of --url of "profile test"', 'word 4 of "profile test"']);
  });

  it('keeps a line without secrets exactly as typed, references and quoting included', () => {
    for (const line of ['services show orders', `config set a --value "x: \${HOME}"`, "locks acquire 'a b' --ttl 30s", 'config set db --value password=${DB_PASS}']) {
      expect(redactWords(line)).toEqual({ line, secrets: [] });
    }
  });

  it('keeps variable references of a word whose other parts are hidden', () => {
    const r = redactWords('config set a --value "${PREFIX}token=abc ${SUFFIX}"');
    expect(r.line).toBe("config set a --value ${PREFIX}token=${SECRET_1}' '${SUFFIX}");
    expect(replayed(r.line, { PREFIX: 'p-', SUFFIX: 's', SECRET_1: 'abc' })).toEqual(['config', 'set', 'a', '--value', 'p-token=abc s']);
  });

  it('a secret that runs into a reference takes the whole reference', () => {
    const r = redactWords('config set a --value password=ab${REST}');
    expect(r.line).toBe('config set a --value password=${SECRET_1}');
  });

  it('throws for a line that does not parse', () => {
    expect(() => redactWords("config set a --value 'token: X")).toThrow(/unclosed/);
  });
});

describe('wordParts', () => {
  it('splits words like the tokenizer, keeping references', () => {
    expect(wordParts(`a 'b \${X}' "c\${Y}d" e\\ f # g`)).toEqual([[{ text: 'a' }], [{ text: 'b ${X}' }], [{ text: 'c' }, { ref: 'Y' }, { text: 'd' }], [{ text: 'e f' }]]);
  });
});

describe('withoutYes', () => {
  it('removes --yes words and leaves the rest of the text as typed', () => {
    expect(withoutYes('instances deregister orders 10.0.1.14:8080 --yes')).toBe('instances deregister orders 10.0.1.14:8080');
    expect(withoutYes('--yes locks release "deploy/orders" --force --yes --owner a@b')).toBe('locks release "deploy/orders" --force --owner a@b');
    expect(withoutYes('services list')).toBe('services list');
  });

  it('keeps a --yes that is part of a value, an escaped word or a comment', () => {
    for (const line of ["config set a --value 'x --yes'", 'config set a --value "--yes y"', 'config set a --value x\\ --yes', 'services list # --yes']) {
      expect(withoutYes(line)).toBe(line);
    }
  });
});
