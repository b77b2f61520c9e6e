import { describe, expect, it } from 'vitest';
import { formatSi, formatTick } from '../../../src/render/chart/format-si.js';

describe('formatSi', () => {
  it.each([
    [0, '0'], [1, '1'], [-4, '-4'], [1234, '1.23k'], [1200, '1.2k'], [0.35, '350m'], [2.5e9, '2.5G'], [1e12, '1T'], [1e15, '1P'],
    [0.000012, '12µ'], [1e-9, '1n'], [999.7, '1k'], [999_700_000, '1G'], [-0.0025, '-2.5m'], [1e24, '1Y'], [3e27, '3e27'], [1.5e-25, '1.5e-25'],
    [NaN, '-'], [Infinity, '-'], [-Infinity, '-'],
  ])('%s → %s', (v, text) => {
    expect(formatSi(v)).toBe(text);
  });
});

describe('formatTick', () => {
  it.each([
    [0, 200, '0'], [1e-17, 0.1, '0'], [400, 200, '400'], [1500, 500, '1.5k'], [0.5, 0.5, '500m'], [2.5, 2.5, '2.5'], [7.5, 2.5, '7.5'],
    [0.25, 0.25, '250m'], [1000.1, 0.1, '1.0001k'], [-4, 2, '-4'], [1.1e15, 1e14, '1.1P'], [2e-9, 5e-10, '2n'], [2.5e-9, 5e-10, '2.5n'], [1000, 250, '1k'],
  ])('%s at step %s → %s', (v, step, text) => {
    expect(formatTick(v, step)).toBe(text);
  });

  it('tells neighbouring ticks apart even when they are close relative to their size', () => {
    const ticks = [1e6, 1e6 + 1, 1e6 + 2].map((v) => formatTick(v, 1));
    expect(new Set(ticks).size).toBe(3);
    expect(ticks).toEqual(['1M', '1.000001M', '1.000002M']);
  });

  it('falls back to significant digits when the step is unusable', () => {
    expect(formatTick(1234, NaN)).toBe('1.23k');
    expect(formatTick(NaN, 1)).toBe('-');
  });
});
