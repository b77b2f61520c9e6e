import { describe, expect, it } from 'vitest';
import { localStamp, parseTimeRange, timeRangeText } from '../../src/core/time-range.js';

describe('typed time ranges', () => {
  it('reads a length as a window ending now', () => {
    expect(parseTimeRange('1h')).toEqual({ startMs: null, lengthMs: 3_600_000 });
    expect(parseTimeRange(' 30m ')).toEqual({ startMs: null, lengthMs: 1_800_000 });
    expect(parseTimeRange('2d')).toEqual({ startMs: null, lengthMs: 172_800_000 });
    expect(parseTimeRange('1h30m')).toEqual({ startMs: null, lengthMs: 5_400_000 });
  });

  it('reads START/LENGTH with the start in UTC (Z), with an offset, or in local time', () => {
    expect(parseTimeRange('2026-12-07T10:00Z/2h')).toEqual({ startMs: Date.UTC(2026, 11, 7, 10), lengthMs: 7_200_000 });
    expect(parseTimeRange('2026-12-07T10:00+02:00/30m')).toEqual({ startMs: Date.UTC(2026, 11, 7, 8), lengthMs: 1_800_000 });
    expect(parseTimeRange('2026-12-07T10:00/2h').startMs).toBe(new Date(2026, 11, 7, 10, 0).getTime());
    expect(parseTimeRange('2026-12-07/1d').startMs).toBe(new Date(2026, 11, 7).getTime());
  });

  it('refuses what is not a range, with a hint naming the forms', () => {
    for (const bad of ['', 'abc', '2x', '90', '10s', '400d', '2026-12-07T10:00', 'yesterday/1h', '2026-13-45T10:00/1h', '2026-12-07T10:00/']) {
      let caught: (Error & { hint?: string }) | null = null;
      try {
        parseTimeRange(bad);
      } catch (e) {
        caught = e as Error & { hint?: string };
      }
      expect(caught, bad).not.toBeNull();
      expect(caught!.hint, bad).toMatch(/1h, 30m, 2d/);
    }
  });

  it('writes a range so that it reads back the same', () => {
    for (const text of ['1h', '90m', '7d', '2026-12-07T10:00/2h', '2026-12-07T10:00:30/15m']) {
      const r = parseTimeRange(text);
      expect(timeRangeText(r)).toBe(text);
      expect(parseTimeRange(timeRangeText(r))).toEqual(r);
    }
    expect(localStamp(new Date(2026, 0, 2, 3, 4).getTime())).toBe('2026-01-02T03:04');
  });
});
