import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { applyCandidate } from '../../../src/shell/completion/apply.js';
import { commandLine, quoteWord } from '../../../src/shell/quote-word.js';
import { complete } from '../../../src/shell/completion/complete.js';
import type { Candidate, CompletionResult } from '../../../src/shell/completion/types.js';
import { tokenize } from '../../../src/shell/tokenize.js';
import { fakeData } from './fixtures.js';

const value = (v: string): Candidate => ({ value: v, description: '', kind: 'value' });
const span = (from: number, to: number): CompletionResult => ({ from, to, items: [], hint: '' });
const noVars = () => undefined;

describe('applyCandidate', () => {
  it('replaces the partial word and adds a space after it', () => {
    expect(applyCandidate('services show ord', span(14, 17), value('orders-api'))).toEqual({ text: 'services show orders-api ', cursor: 25 });
  });

  it('replaces the whole word under the cursor inside a line, stepping over the space that follows', () => {
    expect(applyCandidate('services show ord --yes', span(14, 17), value('orders-api'))).toEqual({ text: 'services show orders-api --yes', cursor: 25 });
    expect(applyCandidate('services show orders-x', span(14, 22), value('orders-api'))).toEqual({ text: 'services show orders-api ', cursor: 25 });
  });

  it('inserts at the cursor when the span is empty', () => {
    expect(applyCandidate('services show', span(9, 9), value('list'))).toEqual({ text: 'services list show', cursor: 14 });
  });

  it('adds no space after a value ending in / or =', () => {
    expect(applyCandidate('locks show dep', span(11, 14), value('deploy/'))).toEqual({ text: 'locks show deploy/', cursor: 18 });
    expect(applyCandidate('x --meta zo', span(9, 11), value('zone='))).toEqual({ text: 'x --meta zone=', cursor: 14 });
  });

  it('quotes a value with spaces, and the tokenizer reads it back as one word', () => {
    const out = applyCandidate('config get my', span(11, 13), value('my config.yaml'));
    expect(out).toEqual({ text: "config get 'my config.yaml' ", cursor: 28 });
    expect(tokenize(out.text, noVars)).toEqual(['config', 'get', 'my config.yaml']);
  });

  it('replaces a partial word with an open quote, quote included', () => {
    const line = 'config get "my co';
    const r = complete(COMMANDS, line, line.length, fakeData().data);
    const out = applyCandidate(line, r, r.items[0]!);
    expect(out.text).toBe("config get 'my config.yaml' ");
  });

  it('inserts a history entry verbatim, with no space', () => {
    const h: Candidate = { value: 'services show "a b"', description: '', kind: 'history' };
    expect(applyCandidate('serv', span(0, 4), h)).toEqual({ text: 'services show "a b"', cursor: 19 });
  });

  it('applies a flag candidate from complete()', () => {
    const line = 'config set a --ty';
    const r = complete(COMMANDS, line, line.length, fakeData().data);
    expect(applyCandidate(line, r, r.items[0]!)).toEqual({ text: 'config set a --type ', cursor: 20 });
  });
});

describe('quoteWord', () => {
  it('leaves plain words alone', () => {
    expect(quoteWord('orders-api')).toBe('orders-api');
    expect(quoteWord('10.0.0.5:8080')).toBe('10.0.0.5:8080');
    expect(quoteWord('a#b')).toBe('a#b');
  });

  it('quotes anything the tokenizer would change, and round-trips through it', () => {
    for (const v of ['a b', "it's", 'say "hi"', 'back\\slash', '${HOME}', '#tag', '', "it's $5 \"x\"", 'tab\there']) {
      const q = quoteWord(v);
      expect(q).not.toBe(v);
      expect(tokenize(q, noVars)).toEqual([v]);
    }
  });

  it('commandLine joins words into a line that tokenizes back into the same words', () => {
    const words = ['config', 'set', 'a b.yaml', '--value', "token: it's", '--owner', 'me@host:1'];
    expect(commandLine(words)).toBe(`config set 'a b.yaml' --value "token: it's" --owner me@host:1`);
    expect(tokenize(commandLine(words), noVars)).toEqual(words);
  });
});
