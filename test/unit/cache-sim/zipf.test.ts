import { describe, expect, it } from 'vitest';
import { zipfTrace } from '../../../src/core/cache-sim/zipf.js';

function counts(trace: Int32Array, keys: number): number[] {
  const c = new Array<number>(keys).fill(0);
  for (const k of trace) c[k]!++;
  return c;
}

describe('zipfTrace', () => {
  it('draws rank r with probability proportional to 1 / r^s', () => {
    const keys = 100;
    const requests = 400_000;
    for (const s of [0.8, 1.0, 1.2]) {
      const c = counts(zipfTrace({ s, keys, requests, seed: 5 }), keys);
      let h = 0;
      for (let r = 1; r <= keys; r++) h += 1 / Math.pow(r, s);
      for (const r of [1, 2, 10, 100]) {
        const expected = 1 / Math.pow(r, s) / h;
        // Three standard deviations of a binomial share.
        const sd = Math.sqrt((expected * (1 - expected)) / requests);
        expect(Math.abs(c[r - 1]! / requests - expected), `s=${s} rank ${r}`).toBeLessThan(3 * sd + 1e-9);
      }
    }
  });

  it('keeps every key within the key space', () => {
    const t = zipfTrace({ s: 1, keys: 7, requests: 10_000, seed: 1 });
    expect(Math.min(...t)).toBe(0);
    expect(Math.max(...t)).toBe(6);
  });

  it('is repeatable for a seed and differs between seeds', () => {
    const a = zipfTrace({ s: 1, keys: 1000, requests: 1000, seed: 9 });
    expect(zipfTrace({ s: 1, keys: 1000, requests: 1000, seed: 9 })).toEqual(a);
    expect(zipfTrace({ s: 1, keys: 1000, requests: 1000, seed: 10 })).not.toEqual(a);
  });
});
