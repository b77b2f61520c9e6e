import type { PolicyName } from '../core/cache-sim/policy-names.js';
import type { SimPoint } from '../core/cache-sim/simulate.js';
import type { Simulation } from '../core/cache-sim/simulation.js';
import { formatSi } from './chart/format-si.js';
import { renderChart } from './chart/render-chart.js';
import type { Style } from './style.js';
import { textTable } from './text-table.js';

const NAMES: Record<PolicyName, string> = { lru: 'LRU', 'w-tinylfu': 'W-TinyLFU', 's3-fifo': 'S3-FIFO', belady: 'Bélády (optimal)' };
const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * `cache simulate`: what was replayed, a chart of hit ratio against cache size (one line per
 * policy), the figures as a table, and the smallest size that reached the target per policy.
 */
export function simulationView(d: Simulation, style: Style, _now: number, width = 100): string {
  const policies = [...new Set(d.points.map((p) => p.policy))];
  const at = (policy: PolicyName, size: number) => d.points.find((p) => p.policy === policy && p.size === size);
  const chart = renderChart(
    policies.map((policy) => ({ label: NAMES[policy], points: d.points.filter((p) => p.policy === policy).map((p): [number, number] => [p.size, p.hitRatio * 100]) })),
    { width: Math.max(20, width), height: Math.min(20, 10 + policies.length), style, unit: '%', xTicks: sizeTicks(d.sizes) },
  );
  const table = textTable(d.sizes, [
    { header: 'SIZE', get: (size) => count(size), align: 'right' },
    { header: 'OF KEYS', get: (size) => `${((size / d.distinctKeys) * 100).toFixed(1)}%`, align: 'right' },
    ...policies.map((policy) => ({
      header: NAMES[policy].toUpperCase(),
      get: (size: number) => cellOf(at(policy, size)),
      paint: (c: string, size: number, s: Style) => ((at(policy, size)?.hitRatio ?? 0) >= d.target ? s.green(c) : c),
      align: 'right' as const,
    })),
  ], style);
  const verdicts = d.recommendations.map((r) =>
    r.size === null ? `${NAMES[r.policy]} ${style.yellow(`not reached (${pct(Math.max(...d.points.filter((p) => p.policy === r.policy).map((p) => p.hitRatio)))} at ${count(Math.max(...d.sizes))})`)}` : `${NAMES[r.policy]} ${style.green(count(r.size))} ${style.dim(`(${pct(r.hitRatio!)})`)}`,
  );
  return [style.dim(sourceLine(d)), chart, table, `smallest size for a ${pct(d.target)} hit ratio: ${verdicts.join(' · ')}`].join('\n');
}

function cellOf(p: SimPoint | undefined): string {
  if (!p) return '-';
  if (p.range === null || p.range[1] - p.range[0] < 0.0005) return pct(p.hitRatio);
  return `${pct(p.hitRatio)} ±${(((p.range[1] - p.range[0]) / 2) * 100).toFixed(1)}`;
}

function sourceLine(d: Simulation): string {
  const s = d.source;
  const what =
    s.kind === 'file' ? `trace ${s.file}` : s.kind === 'zipf' ? `Zipf s=${s.zipf!.s}, seed ${s.zipf!.seed}` : `Redis MONITOR sample (${s.monitor!.commands.toLocaleString('en-US')} commands, stopped by ${s.monitor!.stoppedBy === 'bound' ? `--max-${s.monitor!.bound}` : s.monitor!.stoppedBy})`;
  return `${what}: ${count(d.requests)} requests over ${count(d.distinctKeys)} distinct keys; hit ratio against cache size (entries)`;
}

/** x-axis labels at sizes that were tried: the first, the last, and those between that fit. */
function sizeTicks(sizes: number[]) {
  return (start: number, end: number, columns: number) => {
    const out: Array<{ t: number; text: string }> = [];
    let free = -Infinity;
    for (const t of sizes) {
      const text = formatSi(t);
      const col = ((t - start) / Math.max(1e-9, end - start)) * columns;
      if (col - text.length / 2 < free) continue;
      out.push({ t, text });
      free = col + text.length / 2 + 1;
    }
    return out;
  };
}
