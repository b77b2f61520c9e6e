import { describe, expect, it } from 'vitest';
import { BOUNDARY, PREFIX, SUBSTRING, substringTier, subsequenceCost } from '../../../src/shell/completion/match.js';
import { rank } from '../../../src/shell/completion/rank.js';

describe('substringTier', () => {
  it('tells prefix, word-boundary and plain substring apart', () => {
    expect(substringTier('orders-api', 'ord')).toBe(PREFIX);
    expect(substringTier('shipping-orders', 'ord')).toBe(BOUNDARY);
    expect(substringTier('reorder', 'ord')).toBe(SUBSTRING);
    expect(substringTier('payments', 'ord')).toBe(-1);
  });

  it('counts each separator as a word boundary', () => {
    for (const sep of ['-', '.', '/', '_', ':']) expect(substringTier(`x${sep}ord`, 'ord')).toBe(BOUNDARY);
    expect(substringTier('x ord', 'ord')).toBe(SUBSTRING);
  });

  it('finds a boundary occurrence after an earlier plain one', () => {
    expect(substringTier('xord-ord', 'ord')).toBe(BOUNDARY);
  });
});

describe('subsequenceCost', () => {
  const cost = (s: string, q: string) => subsequenceCost(s, [...q]);
  it('counts the extra characters inside the matched window', () => {
    expect(cost('p-m-t', 'pmt')).toBe(2);
    expect(cost('pmt', 'pmt')).toBe(0);
    expect(cost('ptm', 'pmt')).toBe(-1);
  });

  it('shrinks the window backwards from the first complete match', () => {
    // Greedy from the left would span "pxxxpym t" (cost 5); the tightest window is "pymt".
    expect(cost('pxxxpymt', 'pmt')).toBe(1);
  });
});

describe('rank', () => {
  it('orders prefix, boundary, substring, then subsequence matches', () => {
    expect(rank(['xorder', 'o-r-d', 'order-x', 'b-order', 'ordering', 'border', 'nothing'], 'ord', 10)).toEqual([
      'order-x', 'ordering', // prefix: shorter first
      'b-order', // word boundary
      'border', 'xorder', // substring: equal length, alphabetical
      'o-r-d', // letters in order
    ]);
  });

  it('puts shorter prefix matches first and sorts equal lengths alphabetically', () => {
    expect(rank(['orders-b', 'orders', 'orders-a', 'order'], 'ord', 10)).toEqual(['order', 'orders', 'orders-a', 'orders-b']);
  });

  it('ranks tighter subsequence matches first, even in a longer name', () => {
    expect(rank(['pxxxxmxt', 'abcdefg-pamt'], 'pmt', 10)).toEqual(['abcdefg-pamt', 'pxxxxmxt']);
  });

  it('ignores case but returns the original text', () => {
    expect(rank(['Orders-API', 'billing'], 'oRD', 10)).toEqual(['Orders-API']);
    expect(rank(['b', 'A', 'a', 'B'], '', 10)).toEqual(['A', 'a', 'B', 'b']);
  });

  it('lists everything alphabetically for an empty query, up to the limit', () => {
    expect(rank(['c', 'bb', 'a'], '', 10)).toEqual(['a', 'bb', 'c']);
    expect(rank(['c', 'bb', 'a'], '', 2)).toEqual(['a', 'bb']);
  });

  it('returns nothing when nothing matches, and drops duplicates', () => {
    expect(rank(['orders'], 'xyz', 10)).toEqual([]);
    expect(rank(['orders', 'orders'], 'ord', 10)).toEqual(['orders']);
    expect(rank(['orders'], 'ord', 0)).toEqual([]);
  });
});
