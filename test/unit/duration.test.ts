import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { OpsError } from '../../src/core/errors.js';

function thrown(fn: () => unknown): OpsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OpsError);
    return e as OpsError;
  }
  throw new Error('expected the call to throw');
}

describe('parseDuration', () => {
  it('reads each unit', () => {
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
  });

  it('treats a bare number as seconds', () => {
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1.5')).toBe(1500);
  });

  it('adds up compound durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1d2h3m4s5ms')).toBe(86_400_000 + 7_200_000 + 180_000 + 4000 + 5);
  });

  it('does not confuse "ms" with "m" followed by "s"', () => {
    expect(parseDuration('10ms')).toBe(10);
    expect(parseDuration('10m5s')).toBe(605_000);
  });

  it('accepts fractions and rounds to whole milliseconds', () => {
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('0.5h')).toBe(1_800_000);
    expect(parseDuration('1.6ms')).toBe(2);
    expect(parseDuration('0.0004')).toBe(0);
  });

  it('ignores surrounding whitespace', () => {
    expect(parseDuration('  5m \n')).toBe(300_000);
    expect(parseDuration(' 12 ')).toBe(12_000);
  });

  it.each(['', '   ', 'abc', '5x', '5m3', 'm5', '-5s', '5 m', '1h 30m', '5M', 's', '1.s', '5s!'])(
    'rejects %j as a usage error',
    (text) => {
      const e = thrown(() => parseDuration(text));
      expect(e.kind).toBe('usage');
      expect(e.message).toBe(`invalid duration "${text}"`);
      expect(e.hint).toMatch(/500ms, 30s, 5m or 1h/);
    },
  );

  it('names the flag in the error message', () => {
    const e = thrown(() => parseDuration('soon', '--ttl'));
    expect(e.message).toBe('invalid --ttl "soon"');
  });
});

describe('formatDuration', () => {
  it('shows sub-second values in milliseconds', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(999.4)).toBe('999ms');
  });

  it('rounds before choosing the unit', () => {
    expect(formatDuration(999.6)).toBe('1s');
  });

  it('shows seconds alone below a minute, dropping milliseconds', () => {
    expect(formatDuration(1000)).toBe('1s');
    expect(formatDuration(59_999)).toBe('59s');
  });

  it('shows minutes with zero-padded seconds', () => {
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(60_000)).toBe('1m00s');
    expect(formatDuration(59 * 60_000 + 59_000)).toBe('59m59s');
  });

  it('shows at most the two largest units', () => {
    expect(formatDuration(3_660_000)).toBe('1h01m');
    expect(formatDuration(3_600_000 + 25 * 60_000 + 59_000)).toBe('1h25m');
    expect(formatDuration(90_061_000)).toBe('1d01h');
    expect(formatDuration(10 * 86_400_000 + 23 * 3_600_000)).toBe('10d23h');
  });

  it('keeps the sign of negative durations', () => {
    expect(formatDuration(-500)).toBe('-500ms');
    expect(formatDuration(-1500)).toBe('-1s');
    expect(formatDuration(-125_000)).toBe('-2m05s');
  });

  it('renders infinity as ∞', () => {
    expect(formatDuration(Infinity)).toBe('∞');
  });

  // Suspected bug: the "second unit" is only zero-filled when it is seconds, so a whole number of
  // hours or days skips the adjacent unit and prints seconds instead: 3_600_000 → "1h00s",
  // 86_400_000 → "1d00s", 3_630_000 (1h 0m 30s) → "1h30s", which reads like 1h30m.
  it('keeps the adjacent unit when it is zero for hours and days', () => {
    expect(formatDuration(3_600_000)).toBe('1h00m');
    expect(formatDuration(86_400_000)).toBe('1d00h');
    expect(formatDuration(3_630_000)).toBe('1h00m');
  });
});
