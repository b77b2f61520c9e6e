import { describe, expect, it } from 'vitest';
import { formatTime, timeTicks } from '../../../src/render/chart/time-ticks.js';
import { T0 } from './fixtures.js';

const texts = (start: number, end: number, cols: number) => timeTicks(start, end, cols).map((l) => l.text);

describe('timeTicks', () => {
  it('labels 2-3 round times in UTC, with seconds only below a minute step', () => {
    expect(texts(T0, T0 + 3600, 70)).toEqual(['22:00', '22:30', '23:00']);
    expect(texts(T0 + 37, T0 + 3637, 70)).toEqual(['22:30', '23:00']);
    expect(texts(T0, T0 + 120, 70)).toEqual(['22:00:00', '22:01:00', '22:02:00']);
    expect(texts(T0, T0 + 40, 70)).toEqual(['22:00:00', '22:00:15', '22:00:30']);
    expect(texts(T0, T0 + 7 * 86400, 70)).toEqual(['11-14', '11-21']);
  });

  it('uses fewer or shorter labels when columns are tight, and none when nothing fits', () => {
    expect(texts(T0, T0 + 120, 17)).toEqual(['22:00:00', '22:02:00']);
    expect(texts(T0, T0 + 120, 16)).toEqual(['22:00:00']);
    expect(texts(T0, T0 + 3600, 8)).toEqual(['22:00']);
    expect(texts(T0, T0 + 3600, 4)).toEqual([]);
    for (let cols = 1; cols < 80; cols++) {
      const labels = texts(T0 + 13, T0 + 3613, cols);
      expect(labels.join(' ').length).toBeLessThanOrEqual(cols);
    }
  });

  it('falls back to the two ends of a span too short for a round step', () => {
    expect(texts(T0 + 0.2, T0 + 0.7, 40)).toEqual(['22:00:00', '22:00:01']);
  });

  it('formats by step', () => {
    expect(formatTime(T0 + 59, 1)).toBe('22:00:59');
    expect(formatTime(T0 + 59, 60)).toBe('22:00');
    expect(formatTime(T0 + 59, 60, 300)).toBe('22:00:59');
    expect(formatTime(T0, 86400)).toBe('11-14');
  });
});
