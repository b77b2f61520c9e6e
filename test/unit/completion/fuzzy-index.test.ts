import { describe, expect, it } from 'vitest';
import { FuzzyIndex, fuzzyIndexOf } from '../../../src/shell/completion/fuzzy-index.js';
import { FUZZY_POOL } from '../../../src/shell/completion/match.js';
import { rank } from '../../../src/shell/completion/rank.js';

/** A deterministic generator, so a failure names a reproducible case. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const PARTS = ['orders', 'order', 'pay', 'payments', 'ref', 'refund', 'api', 'worker', 'svc', 'x', 'gw', 'Ledger', 'ÉTÉ', 'a.b', 'c_d', 'e/f', 'g:h', '7'];
const SEPS = ['-', '-', '-', '.', '/', '_', ':', ''];

function names(seed: number, count: number): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const parts = Array.from({ length: 1 + rnd(4) }, () => PARTS[rnd(PARTS.length)]!);
    return parts.reduce((acc, p) => acc + SEPS[rnd(SEPS.length)]! + p) + (rnd(3) === 0 ? String(rnd(40)) : '');
  });
}

const WORDS = ['ord', 'orders-a', 'payments-ref', 'pmtsvc', 'prw', 'xyz', 'rfnd', 'api', 'a', 'e', '-', '.b', 'été', 'ledger', 'LEDG', '7', 'wkr', 'gwx', 'c_d-e', 'oa'];

describe('FuzzyIndex', () => {
  it('ranks exactly like rank(), keystroke by keystroke, including backspace and other words', () => {
    for (const seed of [1, 2, 3]) {
      const list = names(seed, 3000);
      const index = new FuzzyIndex(list);
      const rnd = random(seed + 100);
      for (let round = 0; round < 40; round++) {
        const word = WORDS[rnd(WORDS.length)]!;
        const limit = [1, 5, 50][rnd(3)]!;
        const typed: string[] = [];
        for (let i = 1; i <= word.length; i++) typed.push(word.slice(0, i));
        // Then backspace a little and type again, which walks back the remembered narrowing.
        if (word.length > 2) typed.push(word.slice(0, word.length - 2), word);
        for (const q of typed) expect([seed, q, limit, index.search(q, limit)]).toEqual([seed, q, limit, rank(list, q, limit)]);
      }
    }
  });

  it('agrees with rank() where the fuzzy pool is cut off', () => {
    // Thousands of names contain "a" then "z" apart, so only the first FUZZY_POOL of them are scored.
    const list = Array.from({ length: FUZZY_POOL * 4 }, (_, i) => `a${'-'.repeat(i % 7)}${i}z${i % 3 === 0 ? 'y' : ''}`);
    const index = new FuzzyIndex(list);
    for (const q of ['a', 'az', 'azy', 'az', 'a9z']) expect(index.search(q, 50)).toEqual(rank(list, q, 50));
  });

  it('scores only the first FUZZY_POOL subsequence matches in (length, alphabetical) order', () => {
    // The loose short names fill the pool, so the tight long one is never considered.
    const loose = Array.from({ length: FUZZY_POOL + 500 }, (_, i) => `a${String(i).padStart(5, '0')}z`);
    const tight = 'qqqqqqqqqqqqqqq-a1z';
    const list = [tight, ...loose];
    const found = new FuzzyIndex(list).search('az', 5);
    expect(found).toEqual(rank(list, 'az', 5));
    expect(found).toEqual(['a00000z', 'a00001z', 'a00002z', 'a00003z', 'a00004z']);
    // Within the pool, tightness wins over length.
    const few = [tight, ...loose.slice(0, 10)];
    expect(new FuzzyIndex(few).search('az', 1)).toEqual([tight]);
  });

  it('keeps prefix and substring matches when narrowing, as they may match the longer query only as letters in order', () => {
    const index = new FuzzyIndex(['orxd', 'xorxd', 'zzz']);
    expect(index.search('or', 50)).toEqual(['orxd', 'xorxd']);
    expect(index.search('ord', 50)).toEqual(['orxd', 'xorxd']);
  });

  it('deduplicates and handles mixed case like rank()', () => {
    const list = ['Orders', 'orders', 'ORDERS', 'orders', 'b'];
    const index = new FuzzyIndex(list);
    expect(index.size).toBe(4);
    expect(index.search('ord', 10)).toEqual(rank(list, 'ord', 10));
    expect(index.search('', 10)).toEqual(['b', 'ORDERS', 'Orders', 'orders']);
  });

  it('answers the empty list and a zero limit with nothing', () => {
    expect(new FuzzyIndex([]).search('a', 10)).toEqual([]);
    expect(new FuzzyIndex(['a']).search('a', 0)).toEqual([]);
  });

  it('is cached per array identity', () => {
    const a = ['x', 'y'];
    expect(fuzzyIndexOf(a)).toBe(fuzzyIndexOf(a));
    const b = [...a];
    expect(fuzzyIndexOf(b)).not.toBe(fuzzyIndexOf(a));
  });
});
