// Shared by the speed benches: statistics, the machine's load, and the "targets" block that
// prints each target with its measured value, the baseline measured in the same run, the ratio and
// whether it is met. Benchmarks only report; nothing here fails a test.
import { loadavg } from 'node:os';

/** The q-quantile (0..1) of a sample, interpolated. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (xs) => quantile(xs, 0.5);

/** "load 3.10 2.80 1.90 (1/5/15 min)": the numbers mean little without it on a shared machine. */
export function loadNote() {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min)`;
}

/** Shuffles a copy, so interleaved cases meet the same drift in a random order per round. */
export function shuffled(xs) {
  const order = [...xs];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * One target: `value` measured against `baseline` (both in `unit`), met when `ratio <= limit`
 * for ratio targets or `value <= limit` for absolute ones (`absolute: true`).
 */
export function target({ name, value, baseline, baselineLabel, unit = 'ms', limit, absolute = false, note = '' }) {
  const ratio = value / baseline;
  const met = absolute ? value <= limit : ratio <= limit;
  return { name, value, baseline, baselineLabel, unit, limit, absolute, ratio, met, note };
}

/** Prints the block every speed bench ends with (and bench/speed-targets.mjs prints for all four). */
export function printTargets(title, targets) {
  const rows = targets.map((t) => [
    t.name,
    `${t.value.toFixed(1)} ${t.unit}`,
    `${t.baseline.toFixed(1)} ${t.unit} (${t.baselineLabel})`,
    `${t.ratio.toFixed(2)}×`,
    t.absolute ? `≤ ${t.limit} ${t.unit}` : `≤ ${t.limit}×`,
    t.met ? 'PASS' : 'FAIL',
  ]);
  const header = ['target', 'measured', 'baseline, same run', 'ratio', 'limit', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`targets: ${title}  [${loadNote()}]`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const t of targets) if (t.note) console.log(`  ${t.name}: ${t.note}`);
  console.log('');
}
