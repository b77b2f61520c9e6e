import { describe, expect, it } from 'vitest';
import type { ChartSeries } from '../../../src/render/chart/chart-series.js';
import { matrixToSeries } from '../../../src/render/chart/matrix-to-series.js';
import { type ChartOptions, renderChart } from '../../../src/render/chart/render-chart.js';
import { PLAIN, type Style } from '../../../src/render/style.js';
import { page, series, T0, twoSeries } from './fixtures.js';

type Case = { name: string; title: string; series: ChartSeries[]; size: [number, number]; opts?: Partial<ChartOptions> };

const wave = (i: number) => Math.round(50 + 40 * Math.sin(i / 4));

/** Golden charts: each renders with PLAIN style into test/unit/chart/__snapshots__/<name>.txt. */
const CASES: Case[] = [
  { name: 'two-series-40x8', title: 'two series, api has NaN/+Inf and absent samples', series: twoSeries, size: [40, 8], opts: { unit: '/s' } },
  { name: 'two-series-80x16', title: 'two series, api has NaN/+Inf and absent samples', series: twoSeries, size: [80, 16], opts: { unit: '/s' } },
  { name: 'two-series-120x24', title: 'two series, api has NaN/+Inf and absent samples', series: twoSeries, size: [120, 24], opts: { unit: '/s' } },
  { name: 'two-series-block-80x16', title: 'two series in block mode', series: twoSeries, size: [80, 16], opts: { unit: '/s', mode: 'block' } },
  { name: 'one-series-block-60x12', title: 'one series in block mode, with a gap', series: [series('queue_depth', 60, 60, (i) => (i > 20 && i < 26 ? null : wave(i)))], size: [60, 12], opts: { mode: 'block' } },
  { name: 'no-series-60x10', title: 'no series at all', series: [], size: [60, 10] },
  { name: 'no-finite-points-60x10', title: 'series whose samples are all NaN or null', series: [series('up{job="down"}', 30, 60, () => NaN), series('up{job="gone"}', 30, 60, () => null)], size: [60, 10] },
  { name: 'single-point-60x10', title: 'one sample', series: [series('cpu_usage_ratio{host="db-1"}', 1, 60, () => 0.73)], size: [60, 10] },
  { name: 'flat-60x10', title: 'every value equal', series: [series('replicas', 60, 60, () => 3)], size: [60, 10] },
  { name: 'flat-zero-60x10', title: 'every value zero', series: [series('errors', 60, 60, () => 0)], size: [60, 10] },
  { name: 'gaps-60x12', title: 'NaN, +Inf and -Inf samples break the line', series: matrixToSeries({ resultType: 'matrix', result: [{ metric: { __name__: 'temp', room: 'a' }, values: Array.from({ length: 60 }, (_, i): [number, string] => [T0 + i * 60, i === 15 ? 'NaN' : i === 30 ? '+Inf' : i === 45 ? '-Inf' : String(wave(i))]) }] }), size: [60, 12] },
  { name: 'huge-60x12', title: 'values around 1e15', series: [series('bytes_total', 60, 60, (i) => 1e15 + i * 2e13)], size: [60, 12], opts: { unit: 'B' } },
  { name: 'tiny-60x12', title: 'values around 1e-9', series: [series('duration', 60, 60, (i) => 1e-9 * (1 + wave(i) / 50))], size: [60, 12], opts: { unit: 's' } },
  { name: 'negative-60x12', title: 'values from -4 to +3', series: [series('delta', 60, 60, (i) => -4 + (7 * i) / 59)], size: [60, 12] },
  { name: 'many-series-80x12', title: 'six series, legend truncated to what fits', series: Array.from({ length: 6 }, (_, k) => series(`load{cpu="${k}"}`, 60, 60, (i) => wave(i + 8 * k))), size: [80, 12] },
  { name: 'short-span-60x10', title: 'two minutes at 1 s: HH:MM:SS labels', series: [series('gc_pause', 120, 1, (i) => wave(i) / 1000)], size: [60, 10], opts: { unit: 's' } },
  { name: 'days-span-60x10', title: 'a week at 1 h: MM-DD labels', series: [series('disk_used', 168, 3600, (i) => 1e11 + i * 3e8)], size: [60, 10], opts: { unit: 'B' } },
  { name: 'window-wider-than-data-60x10', title: 'start/end an hour around half an hour of data', series: [series('rss', 30, 60, wave)], size: [60, 10], opts: { start: T0 - 900, end: T0 + 2700 } },
  { name: 'narrow-20x6', title: 'narrow: legend cut to the width', series: twoSeries, size: [20, 6], opts: { unit: '/s' } },
  { name: 'three-rows-24x3', title: 'three rows: one plot row, x labels, legend', series: twoSeries, size: [24, 3] },
  { name: 'sparkline-40x2', title: 'two rows: sparkline and legend', series: twoSeries, size: [40, 2], opts: { unit: '/s' } },
  { name: 'sparkline-40x1', title: 'one row: sparkline', series: twoSeries, size: [40, 1], opts: { unit: '/s' } },
  { name: 'sparkline-no-data-30x2', title: 'two rows, no data', series: [series('up', 10, 60, () => null)], size: [30, 2] },
  { name: 'wide-label-50x8', title: 'CJK label, cut by display width', series: [series('温度{房间="会议室一号楼"}', 30, 60, wave)], size: [50, 8] },
];

describe('renderChart goldens', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.title}`, async () => {
      const [width, height] = c.size;
      const chart = renderChart(c.series, { width, height, style: PLAIN, ...c.opts });
      await expect(page(c.title, width, height, chart)).toMatchFileSnapshot(`./__snapshots__/${c.name}.txt`);
    });
  }
});

/** A style that tags instead of colouring, so tests can see which hook painted what. */
const TAGS: Style = Object.fromEntries(['bold', 'dim', 'red', 'green', 'yellow', 'cyan'].map((k) => [k, (s: string) => `<${k}>${s}</${k}>`])) as unknown as Style;
const untag = (s: string) => s.replace(/<\/?(bold|dim|red|green|yellow|cyan)>/g, '');
const plotRows = (chart: string) => chart.split('\n').filter((l) => /[\u2801-\u28ff]/.test(l));

describe('renderChart behaviour', () => {
  it('colours series green, cyan, yellow, red, then green again, and painting does not move anything', () => {
    const five = Array.from({ length: 5 }, (_, k) => series(`s${k}`, 20, 60, (i) => k * 100 + i));
    const opts = { width: 80, height: 20, style: TAGS };
    const tagged = renderChart(five, opts);
    const legend = tagged.split('\n').filter((l) => l.includes('●'));
    expect(legend.map((l) => /<(\w+)>● s\d/.exec(l)?.[1])).toEqual(['green', 'cyan', 'yellow', 'red', 'green']);
    for (const colour of ['green', 'cyan', 'yellow', 'red']) expect(tagged).toMatch(new RegExp(`<${colour}>[\u2801-\u28ff]`));
    expect(untag(tagged)).toBe(renderChart(five, { ...opts, style: PLAIN }));
  });

  it('writes no escape codes in PLAIN, even from a label or unit that carries some', () => {
    const evil = [series('x\u001b[31mred\u001b[0m\nnext', 10, 60, (i) => i)];
    const out = renderChart(evil, { width: 60, height: 10, style: PLAIN, unit: '\u001b[2J' });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('x?[31mred?[0m?next');
  });

  it('leaves the columns of a gap empty and draws on both sides of it', () => {
    const gap = [series('g', 60, 60, (i) => (i >= 20 && i < 40 ? null : 5 + (i % 2)))];
    const rows = plotRows(renderChart(gap, { width: 62, height: 10, style: PLAIN }));
    const plot = rows.map((l) => [...l].slice(-60));
    const used = (c: number) => plot.some((r) => (r[c] ?? ' ') !== ' ');
    // Samples 20..39 are missing: columns for 20.5..38.5 of 59 steps carry no dot.
    for (let c = 22; c <= 38; c++) expect(used(c) ? c : -1).toBe(-1);
    expect(used(5) && used(55)).toBe(true);
  });

  it('treats absent samples (a time jump) as a gap, like a NaN', () => {
    const pts = series('absent', 60, 60, (i) => i % 3).points.filter((_, i) => i < 20 || i >= 40);
    const rows = plotRows(renderChart([{ label: 'absent', points: pts }], { width: 62, height: 10, style: PLAIN }));
    const used = (c: number) => rows.some((r) => ([...r].slice(-60)[c] ?? ' ') !== ' ');
    for (let c = 22; c <= 38; c++) expect(used(c) ? c : -1).toBe(-1);
  });

  it('draws a flat series as one row of dots on the row of its tick label', () => {
    const out = renderChart([series('flat', 30, 60, () => 7)], { width: 60, height: 12, style: PLAIN });
    const rows = plotRows(out);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^\s*7┤/);
  });

  it('labels the y axis with 3 to 5 distinct ticks and the x axis with 2 to 3 times at normal sizes', () => {
    for (const [width, height] of [[40, 8], [80, 16], [120, 24], [60, 12]] as const) {
      const lines = renderChart(twoSeries, { width, height, style: PLAIN, unit: '/s' }).split('\n');
      const ticks = lines.map((l) => /^\s*(\S+)┤/.exec(l)?.[1]).filter((t) => t !== undefined);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(5);
      expect(new Set(ticks).size).toBe(ticks.length);
      const axis = lines.findIndex((l) => l.includes('└'));
      const times = lines[axis + 1]?.match(/\d\d:\d\d/g) ?? [];
      expect(times.length).toBeGreaterThanOrEqual(2);
      expect(times.length).toBeLessThanOrEqual(3);
      expect(lines[axis]!.split('┬').length - 1).toBe(times.length);
    }
  });

  it('shows current, min and max of the visible window in the legend', () => {
    const s = [series('m', 10, 60, (i) => [3, 9, 1, 4, 1, 5, 9, 2, 6, null][i]!)];
    const out = renderChart(s, { width: 80, height: 10, style: PLAIN, start: T0 + 60, end: T0 + 9 * 60 });
    expect(out).toMatch(/● m\s+cur 6\s+min 1\s+max 9$/m);
    const narrowed = renderChart(s, { width: 80, height: 10, style: PLAIN, start: T0 + 120, end: T0 + 240 });
    expect(narrowed).toMatch(/● m\s+cur 1\s+min 1\s+max 4$/m);
  });

  it('puts "no data" inside the frame, and never writes NaN, Infinity or undefined', () => {
    const out = renderChart([series('up', 5, 60, () => NaN)], { width: 40, height: 8, style: PLAIN });
    const lines = out.split('\n');
    const msg = lines.findIndex((l) => l.includes('no data'));
    expect(msg).toBeGreaterThanOrEqual(0);
    expect(lines[msg]).toMatch(/^│\s+no data$/);
    expect(lines.some((l) => l.startsWith('└'))).toBe(true);
    const weird = [[series('a', 3, 60, () => Infinity)], [series('b', 2, 60, (i) => (i ? 1e308 : -1e308))], [{ label: 'c', points: [[NaN, 1], [Infinity, 2]] as Array<[number, number]> }]];
    for (const s of weird) expect(renderChart(s, { width: 50, height: 9, style: PLAIN })).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('renders exactly height lines for degenerate sizes', () => {
    expect(renderChart(twoSeries, { width: 80, height: 0, style: PLAIN })).toBe('');
    expect(renderChart(twoSeries, { width: 0, height: 3, style: PLAIN })).toBe('\n\n');
    expect(renderChart(twoSeries, { width: 1, height: 4, style: PLAIN }).split('\n')).toHaveLength(4);
    expect(renderChart(twoSeries, { width: 30.9, height: 5.9, style: PLAIN }).split('\n')).toHaveLength(5);
    expect(renderChart(twoSeries, { width: NaN, height: 2, style: PLAIN })).toBe('\n');
  });
});
