/** Round time steps, in seconds, that x-axis labels sit on. */
const STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400,
  7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400,
];

/**
 * Time in UTC (stable across machines): `MM-DD` for day steps, `HH:MM`, or `HH:MM:SS` below a
 * minute step or within a span of five minutes or less.
 */
export function formatTime(t: number, step: number, span = Infinity): string {
  const iso = new Date(Math.round(t) * 1000).toISOString();
  if (step >= 86400) return iso.slice(5, 10);
  return step >= 60 && span > 300 ? iso.slice(11, 16) : iso.slice(11, 19);
}

/**
 * Picks 2-3 labelled times on round steps in [start, end] that fit `columns` with a blank between
 * labels; falls back to the two ends, or to fewer labels when even those do not fit.
 */
export function timeTicks(start: number, end: number, columns: number): Array<{ t: number; text: string }> {
  const span = end - start;
  const fits = (count: number, len: number) => count * (len + 1) - 1 <= columns;
  for (const step of STEPS) {
    const first = Math.ceil(start / step) * step;
    const count = Math.floor((end - first) / step + 1e-9) + 1;
    if (count > 3) continue;
    const text = (t: number) => formatTime(t, step, span);
    if (count < 2) break;
    if (!fits(count, text(first).length)) continue;
    return Array.from({ length: count }, (_, i) => first + i * step).map((t) => ({ t, text: text(t) }));
  }
  const step = span >= 2 * 86400 ? 86400 : span >= 600 ? 60 : 1;
  const ends = span > 0 ? [start, end] : [start];
  for (const list of [ends, [start]]) {
    const labels = list.map((t) => ({ t, text: formatTime(t, step, span) }));
    if (fits(labels.length, labels[0]!.text.length)) return labels;
  }
  return [];
}
