import { describe, expect, it } from 'vitest';
import type { ChartSeries } from '../../../src/render/chart/chart-series.js';
import { renderChart } from '../../../src/render/chart/render-chart.js';
import { PLAIN } from '../../../src/render/style.js';
import { columns, series, twoSeries } from './fixtures.js';

const DATASETS: Record<string, ChartSeries[]> = {
  'two series with gaps': twoSeries,
  'no series': [],
  'no finite points': [series('up', 20, 60, () => NaN)],
  'single point': [series('one', 1, 60, () => 42)],
  'huge and tiny together': [series('big', 30, 60, (i) => 1e15 * (1 + i)), series('small', 30, 60, (i) => 1e-9 * i)],
  'twelve series, CJK and emoji labels': Array.from({ length: 12 }, (_, k) => series(k % 2 ? `温度{房间="会议室${k}"}` : `😀load{cpu="${k}"}`, 40, 15, (i) => Math.sin(i / 3 + k) * 10 ** (k - 6))),
};

/** Every line of a chart ≤ width columns, exactly `height` lines, no NaN/Infinity/undefined text. */
function problems(chart: string, width: number, height: number): string[] {
  const lines = chart.split('\n');
  const out: string[] = [];
  if (height > 0 && lines.length !== height) out.push(`${lines.length} lines`);
  lines.forEach((l, i) => {
    if (columns(l) > width) out.push(`line ${i} is ${columns(l)} wide: ${l}`);
  });
  if (/NaN|Infinity|undefined/.test(chart)) out.push('NaN/Infinity/undefined in the text');
  return out;
}

describe('renderChart size properties', () => {
  for (const [name, data] of Object.entries(DATASETS)) {
    for (const mode of ['braille', 'block'] as const) {
      it(`${name} (${mode}): exact height and width for every size 10..140 × 3..40`, () => {
        const bad: string[] = [];
        for (let width = 10; width <= 140; width++) {
          for (let height = 3; height <= 40; height++) {
            const p = problems(renderChart(data, { width, height, style: PLAIN, mode, unit: 'req/s' }), width, height);
            if (p.length > 0) bad.push(`${width}x${height}: ${p.join('; ')}`);
          }
        }
        expect(bad.slice(0, 5)).toEqual([]);
      });
    }
  }

  it('holds for tiny sizes too (1..12 × 1..6), sparkline rows included', () => {
    const bad: string[] = [];
    for (const data of Object.values(DATASETS)) {
      for (let width = 1; width <= 12; width++) {
        for (let height = 1; height <= 6; height++) {
          const p = problems(renderChart(data, { width, height, style: PLAIN, unit: 's' }), width, height);
          if (p.length > 0) bad.push(`${width}x${height}: ${p.join('; ')}`);
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('the sweep can fail: a line one column too wide is reported', () => {
    expect(problems('abc\nabcd', 3, 2)).toEqual(['line 1 is 4 wide: abcd']);
    expect(problems('温度', 3, 1)).toEqual(['line 0 is 4 wide: 温度']);
    expect(problems('a', 3, 2)).toEqual(['1 lines']);
  });
});
