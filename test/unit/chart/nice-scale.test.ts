import { describe, expect, it } from 'vitest';
import { niceScale } from '../../../src/render/chart/nice-scale.js';

describe('niceScale', () => {
  it('widens the range to round ticks', () => {
    expect(niceScale(130, 700, 5)).toEqual({ lo: 0, hi: 800, step: 200, ticks: [0, 200, 400, 600, 800] });
    expect(niceScale(-4, 3, 5)).toEqual({ lo: -4, hi: 4, step: 2, ticks: [-4, -2, 0, 2, 4] });
  });

  it('gives a flat range a small range around the value', () => {
    expect(niceScale(3, 3, 3)).toEqual({ lo: 2.5, hi: 3.5, step: 0.5, ticks: [2.5, 3, 3.5] });
    expect(niceScale(0, 0, 3)).toEqual({ lo: -1, hi: 1, step: 1, ticks: [-1, 0, 1] });
    const big = niceScale(1e15, 1e15, 3);
    expect(big.lo).toBeLessThan(1e15);
    expect(big.hi).toBeGreaterThan(1e15);
  });

  it('always covers the data with 2..maxTicks evenly spaced ticks (random ranges)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const mag = 10 ** Math.floor(rnd() * 40 - 20);
      const a = (rnd() - 0.5) * mag;
      const b = a + rnd() * mag;
      const maxTicks = 2 + Math.floor(rnd() * 4);
      const s = niceScale(a, b, maxTicks);
      const ctx = `${a}..${b} max ${maxTicks}: ${JSON.stringify(s)}`;
      expect(s.lo <= a && s.hi >= b, ctx).toBe(true);
      expect(s.ticks.length >= 2 && s.ticks.length <= maxTicks, ctx).toBe(true);
      expect(s.ticks[0]).toBe(s.lo);
      expect(s.ticks.at(-1)).toBe(s.hi);
      if (maxTicks >= 3 && b > a) expect(s.ticks.length, ctx).toBeGreaterThanOrEqual(Math.min(3, maxTicks));
    }
  });

  it('survives ranges a double cannot subtract', () => {
    const s = niceScale(-1e308, 1e308, 5);
    expect(s.ticks.every(Number.isFinite)).toBe(true);
    expect(s.hi).toBeGreaterThan(s.lo);
  });
});
