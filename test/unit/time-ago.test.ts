import { describe, expect, it } from 'vitest';
import { ago } from '../../src/render/time-ago.js';

describe('ago', () => {
  const now = Date.parse('2026-12-08T01:00:00.000Z');
  it('says how long ago a time was, and "-" for none', () => {
    expect(ago('2026-12-08T00:59:57.000Z', now)).toBe('3s ago');
    expect(ago(null, now)).toBe('-');
  });
  it('reads a time a little ahead of the clock (a server stamped it) as 0ms ago, never negative', () => {
    expect(ago('2026-12-08T01:00:00.005Z', now)).toBe('0ms ago');
  });
});
