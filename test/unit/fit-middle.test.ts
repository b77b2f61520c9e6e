import { describe, expect, it } from 'vitest';
import { fitMiddle } from '../../src/frontends/tui/layout.js';

describe('fitMiddle', () => {
  it('keeps both ends of a long name, so histogram series stay apart', () => {
    const names = ['http_request_duration_seconds_bucket', 'http_request_duration_seconds_count', 'http_request_duration_seconds_sum'];
    const cut = names.map((n) => fitMiddle(n, 24));
    expect(new Set(cut).size).toBe(3);
    for (const c of cut) expect([...c].length).toBeLessThanOrEqual(24);
    expect(cut[0]).toMatch(/^http_reques…/);
    expect(cut[0]).toMatch(/conds_bucket$/);
  });
  it('leaves a name that fits alone, and handles tiny widths', () => {
    expect(fitMiddle('orders', 10)).toBe('orders');
    expect(fitMiddle('orders', 1)).toBe('o');
    expect(fitMiddle('orders', 3)).toBe('o…s');
  });
});
