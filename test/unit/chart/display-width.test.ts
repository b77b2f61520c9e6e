import { describe, expect, it } from 'vitest';
import { displayWidth, truncateMiddle, truncateToWidth } from '../../../src/render/chart/display-width.js';
import { columns } from './fixtures.js';

describe('displayWidth', () => {
  it('counts wide characters twice and combining marks not at all', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('温度')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('⣿▇µ─┤●↓')).toBe(7);
    for (const s of ['温度{房间="会议室"}', 'naïve', '😀x', '⢀⡠⠤']) expect(displayWidth(s)).toBe(columns(s));
  });

  it('cuts by columns, never splitting a wide character past the limit', () => {
    expect(truncateToWidth('abcdef', 6)).toBe('abcdef');
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
    expect(truncateToWidth('温度温度', 4)).toBe('温…');
    expect(truncateToWidth('温度温度', 1)).toBe('…');
    expect(truncateToWidth('abc', 0)).toBe('');
    for (let w = 0; w < 12; w++) expect(displayWidth(truncateToWidth('温a度b温c度', w))).toBeLessThanOrEqual(w);
  });

  it('cuts the middle of a label, keeping the end where series differ', () => {
    expect(truncateMiddle('http_requests_total{job="api"}', 16)).toBe('http_r…ob="api"}');
    for (let w = 0; w < 40; w++) expect(displayWidth(truncateMiddle('http_requests_total{房间="api"}', w))).toBeLessThanOrEqual(w);
  });
});
