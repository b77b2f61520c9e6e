import type { ChartSeries } from '../../../src/render/chart/chart-series.js';
import { matrixToSeries } from '../../../src/render/chart/matrix-to-series.js';

/** 2023-11-14T22:00:00Z, so x labels are round UTC times. */
export const T0 = 1_699_999_200;

/** Samples every `step` seconds from T0, value from `f(i)`. */
export function series(label: string, n: number, step: number, f: (i: number) => number | null): ChartSeries {
  return { label, points: Array.from({ length: n }, (_, i): [number, number | null] => [T0 + i * step, f(i)]) };
}

/**
 * Two series over an hour at a 60 s step, as Prometheus sends them: the api rate has NaN and +Inf
 * samples at 22:25-22:30 (a gap) and no samples at all at 22:45-22:48 (absent, also a gap).
 */
export const twoSeries: ChartSeries[] = matrixToSeries({
  resultType: 'matrix',
  result: [
    {
      metric: { __name__: 'http_requests:rate5m', job: 'api' },
      values: Array.from({ length: 61 }, (_, i): [number, string] => [T0 + i * 60, i >= 25 && i <= 30 ? (i % 2 ? 'NaN' : '+Inf') : String(Math.round(400 + 300 * Math.sin(i / 6)))]).filter(
        ([t]) => t < T0 + 45 * 60 || t > T0 + 48 * 60,
      ),
    },
    {
      metric: { __name__: 'http_requests:rate5m', job: 'web' },
      values: Array.from({ length: 61 }, (_, i): [number, string] => [T0 + i * 60, String(200 + 5 * i)]),
    },
  ],
});

/** A snapshot page: what was rendered, a ruler marking the width, then the chart itself. */
export function page(title: string, width: number, height: number, chart: string): string {
  const ruler = Array.from({ length: width }, (_, i) => ((i + 1) % 10 === 0 ? '|' : (i + 1) % 5 === 0 ? ':' : '.')).join('');
  return `# ${title} (${width}x${height}, PLAIN)\n${ruler}\n${chart}\n`;
}

/** Display columns, written independently of the renderer's own measure: wide scripts and emoji 2, marks 0. */
export function columns(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x300 || (cp >= 0x2500 && cp < 0x2900)) {
      w += 1;
      continue;
    }
    if (/\p{M}|\p{Cf}/u.test(ch)) continue;
    w += /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Extended_Pictographic}\u3000-\u303e\uff01-\uff60]/u.test(ch) ? 2 : 1;
  }
  return w;
}
