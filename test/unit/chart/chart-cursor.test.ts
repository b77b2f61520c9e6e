import { describe, expect, it } from 'vitest';
import type { ChartSeries } from '../../../src/render/chart/chart-series.js';
import { plotColumns, renderChart } from '../../../src/render/chart/render-chart.js';
import { PLAIN } from '../../../src/render/style.js';

const T0 = 1_764_000_000; // 2025-11-24T16:00:00Z, on a minute boundary
const up: ChartSeries = { label: 'up', points: Array.from({ length: 61 }, (_, i) => [T0 + i * 60, i]) };
const down: ChartSeries = { label: 'down', points: Array.from({ length: 61 }, (_, i) => [T0 + i * 60, 60 - i]) };
const opts = { width: 80, height: 12, style: PLAIN, mode: 'braille' as const, start: T0, end: T0 + 3600 };

describe('chart cursor', () => {
  it('without a cursor the legend shows current, min and max; with one, the time and each value at its column', () => {
    expect(renderChart([up, down], opts)).toMatch(/● up\s+cur 60\s+min 0\s+max 60/);
    const cols = plotColumns([up, down], opts);
    expect(cols).toBeGreaterThan(60);
    expect(cols).toBeLessThan(80);
    const first = renderChart([up, down], { ...opts, cursor: 0 });
    // Column 0 spans the first 1/cols of the hour: its middle is under a minute in.
    expect(first).toMatch(/● up\s+16:00:\d\d 0\s+min 0\s+max 60/);
    expect(first).toMatch(/● down\s+16:00:\d\d 60\s+min 0\s+max 60/);
    const last = renderChart([up, down], { ...opts, cursor: cols - 1 });
    expect(last).toMatch(/● up\s+16:59:\d\d 60\s/);
    expect(last).toMatch(/● down\s+16:59:\d\d 0\s/);
    // Past the plot it stays on the last column.
    expect(renderChart([up, down], { ...opts, cursor: cols + 10 })).toBe(last);
    const mid = renderChart([up, down], { ...opts, cursor: Math.floor(cols / 2) });
    const at = /● up\s+16:(\d\d):\d\d (\d+)/.exec(mid)!;
    expect(Math.abs(Number(at[2]) - Number(at[1]))).toBeLessThanOrEqual(1);
    // The cursor is drawn down the plot's empty cells.
    expect(mid.split('\n').filter((l) => l.includes('│')).length).toBeGreaterThan(3);
  });
});
