import { readFileSync } from 'node:fs';

/**
 * The differential tests' case files, in the spirit of Prometheus' promqltest: `load <interval>`
 * blocks of series in expanding notation, then `eval instant at <time> <expr>` and
 * `eval range from <t> to <t> step <d> <expr>` lines. Cases are data: adding one needs no code.
 * Expected-result lines (indented under an eval) are not needed, the real Prometheus answers.
 *
 *   load 1m
 *     http_requests_total{job="api"} 0+10x30      # 31 values 0, 10, ..., 300
 *     errors 1 2 _ 4 _x3 5                        # _ is a missing sample
 *   eval instant at 10m rate(http_requests_total[5m])
 *   eval range from 0 to 30m step 1m sum(errors)
 *   eval_unsupported instant at 1m holt_winters(errors[5m], 0.5, 0.5)
 */
export interface ScriptSeries {
  labels: Record<string, string>;
  t: number[];
  v: number[];
}

export interface ScriptEval {
  file: string;
  line: number;
  expr: string;
  /** Instant: start = end, step 0. Times in ms. */
  kind: 'instant' | 'range';
  start: number;
  end: number;
  step: number;
  /** Our evaluator must refuse it with `not supported yet` (whatever Prometheus says). */
  unsupported: boolean;
}

export interface Script {
  series: ScriptSeries[];
  evals: ScriptEval[];
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** `5m`, `1h30m`, or plain seconds (`90`, `1.5`) to ms. */
export function scriptDuration(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const parts = [...s.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== s) throw new Error(`bad duration "${s}"`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0);
}

export function parseScript(text: string, file: string): Script {
  const series: ScriptSeries[] = [];
  const evals: ScriptEval[] = [];
  let interval: number | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    const where = `${file}:${i + 1}`;
    if (line.trim() === '') return;
    const indented = /^\s/.test(line);
    const trimmed = line.trim();
    if (!indented) {
      interval = undefined;
      const load = /^load\s+(\S+)$/.exec(trimmed);
      if (load) {
        interval = scriptDuration(load[1]!);
        return;
      }
      const ev = /^(eval|eval_unsupported)\s+(instant\s+at\s+(\S+)|range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+))\s+(.+)$/.exec(trimmed);
      if (!ev) throw new Error(`${where}: expected "load <interval>" or "eval instant at <t> <expr>" / "eval range from <t> to <t> step <d> <expr>"`);
      const unsupported = ev[1] === 'eval_unsupported';
      if (ev[3] !== undefined) {
        const t = scriptDuration(ev[3]);
        evals.push({ file, line: i + 1, expr: ev[7]!, kind: 'instant', start: t, end: t, step: 0, unsupported });
      } else {
        evals.push({ file, line: i + 1, expr: ev[7]!, kind: 'range', start: scriptDuration(ev[4]!), end: scriptDuration(ev[5]!), step: scriptDuration(ev[6]!), unsupported });
      }
      return;
    }
    if (interval === undefined) return; // an expected-result line under an eval: Prometheus is the oracle
    series.push(parseSeriesLine(trimmed, interval, where));
  });
  return { series, evals };
}

export function readScript(path: string, name: string): Script {
  return parseScript(readFileSync(path, 'utf8'), name);
}

function parseSeriesLine(line: string, interval: number, where: string): ScriptSeries {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(.+)$/.exec(line);
  if (!m) throw new Error(`${where}: expected "metric{labels} values"`);
  const labels: Record<string, string> = {};
  if (m[1]) labels.__name__ = m[1];
  if (m[2]) {
    for (const lm of m[2].slice(1, -1).matchAll(/\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g)) {
      labels[lm[1]!] = JSON.parse(`"${lm[2]!}"`) as string;
    }
  }
  const t: number[] = [];
  const v: number[] = [];
  let step = 0;
  for (const tok of m[3]!.trim().split(/\s+/)) {
    const blanks = /^_(?:x(\d+))?$/.exec(tok);
    if (blanks) {
      step += blanks[1] ? Number(blanks[1]) : 1;
      continue;
    }
    if (tok === 'stale') throw new Error(`${where}: staleness markers cannot travel through OpenMetrics into Prometheus; test them in unit tests`);
    const seq = /^([-+]?(?:[\d.]+(?:e[-+]?\d+)?|Inf|NaN))(?:([-+])([\d.]+(?:e[-+]?\d+)?))?x(\d+)$/i.exec(tok);
    if (seq) {
      const start = num(seq[1]!);
      const delta = seq[2] ? (seq[2] === '-' ? -1 : 1) * Number(seq[3]) : 0;
      for (let k = 0; k <= Number(seq[4]); k++) {
        t.push(step++ * interval);
        v.push(start + k * delta);
      }
      continue;
    }
    t.push(step++ * interval);
    v.push(num(tok));
  }
  return { labels, t, v };
}

function num(s: string): number {
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (l === 'nan') return NaN;
  const n = Number(s);
  if (Number.isNaN(n)) throw new Error(`bad sample value "${s}"`);
  return n;
}

/** OpenMetrics text of the series (what `promtool tsdb create-blocks-from openmetrics` reads). */
export function toOpenMetrics(series: readonly ScriptSeries[]): string {
  const out: string[] = [];
  for (const s of series) {
    const { __name__: name, ...rest } = s.labels;
    const labels = Object.entries(rest)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
      .join(',');
    const head = `${name}${labels ? `{${labels}}` : ''}`;
    for (let i = 0; i < s.t.length; i++) out.push(`${head} ${omValue(s.v[i]!)} ${s.t[i]! / 1000}`);
  }
  out.push('# EOF', '');
  return out.join('\n');
}

function omValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
