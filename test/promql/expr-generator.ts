/**
 * Random PromQL from a typed grammar, for the fuzz test: every expression it writes parses and
 * type-checks in Prometheus 2.42 (an instant vector where one is wanted, a range vector for range
 * functions, scalars for parameters). Seeded, so a failure names the seed that reproduces it.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Series the generator reads: fixture metrics without NaN samples (Go's sort order for NaN in long inputs is not worth chasing). */
const SELECTORS = [
  'ag_http', 'ag_http{job="api"}', 'ag_http{code=~"2.."}', 'ag_http{env!="prod"}', 'bn_req', 'bn_lim', 'bn_info',
  'bn_req{code!~"5.*"}', 'rt_counter_total{job=~"steady|reset|frac"}', 'rt_gauge{job!~"nan|wave"}', 'sq_gauge', 'sq_counter_total',
  'rt_slow_total', 'fn_hist_bucket', 'ag_ties', 'nonexistent_metric',
];
const LABELS = ['job', 'instance', 'code', 'env', 'le', 'k', 'path', 'nonexistent'];
const RANGES = ['30s', '1m', '2m', '5m', '10m'];
const STEPS = ['', '15s', '30s', '1m', '2m'];
const OFFSETS = ['30s', '1m', '5m', '-1m'];
const INSTANT_FNS = ['abs', 'ceil', 'floor', 'round', 'sqrt', 'exp', 'ln', 'log2', 'log10', 'sgn', 'sin', 'cos', 'atan', 'deg', 'rad', 'timestamp', 'sort', 'sort_desc', 'tanh', 'asinh'];
const RANGE_FNS = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'avg_over_time', 'sum_over_time', 'count_over_time', 'min_over_time', 'max_over_time', 'last_over_time', 'present_over_time', 'stddev_over_time', 'stdvar_over_time'];
const AGGS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'];
const ARITH = ['+', '-', '*', '/', '%', '^', 'atan2'];
const CMP = ['==', '!=', '>', '<', '>=', '<='];
const SET = ['and', 'or', 'unless'];

export class ExprGenerator {
  constructor(private readonly rnd: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  private chance(p: number): boolean {
    return this.rnd() < p;
  }

  private labels(): string {
    const n = Math.floor(this.rnd() * 3);
    const set = new Set<string>();
    for (let i = 0; i < n; i++) set.add(this.pick(LABELS));
    return [...set].join(', ');
  }

  private number(): string {
    return this.pick(['0', '1', '2', '0.5', '3', '10', '100', '-1', '1e3', '0.25']);
  }

  selector(): string {
    let s = this.pick(SELECTORS);
    if (this.chance(0.15)) s += ` offset ${this.pick(OFFSETS)}`;
    if (this.chance(0.08)) s += ` @ ${this.pick(['300', '600', '1200', 'start()', 'end()'])}`;
    return s;
  }

  matrix(depth: number): string {
    if (depth > 0 && this.chance(0.2)) {
      return `${this.paren(this.vector(depth - 1))}[${this.pick(RANGES)}:${this.pick(STEPS)}]`;
    }
    let s = `${this.pick(SELECTORS)}[${this.pick(RANGES)}]`;
    if (this.chance(0.15)) s += ` offset ${this.pick(OFFSETS)}`;
    return s;
  }

  private paren(e: string): string {
    return /^[a-z_]+(\{[^}]*\})?$/.test(e) ? e : `(${e})`;
  }

  scalar(depth: number): string {
    if (depth <= 0) return this.number();
    switch (Math.floor(this.rnd() * 5)) {
      case 0:
        return this.number();
      case 1:
        return `scalar(${this.vector(depth - 1)})`;
      case 2:
        return 'time()';
      case 3:
        return `(${this.scalar(depth - 1)} ${this.pick(ARITH)} ${this.scalar(depth - 1)})`;
      default:
        return `(${this.scalar(depth - 1)} ${this.pick(CMP)} bool ${this.scalar(depth - 1)})`;
    }
  }

  vector(depth: number): string {
    if (depth <= 0) return this.selector();
    const by = () => {
      const l = this.labels();
      return this.chance(0.5) ? '' : ` ${this.pick(['by', 'without'])} (${l})`;
    };
    switch (Math.floor(this.rnd() * 14)) {
      case 0:
      case 1:
        return this.selector();
      case 2:
        return `${this.pick(INSTANT_FNS)}(${this.vector(depth - 1)})`;
      case 3:
      case 4:
        return `${this.pick(RANGE_FNS)}(${this.matrix(depth - 1)})`;
      case 5:
        return `${this.pick(AGGS)}${by()} (${this.vector(depth - 1)})`;
      case 6:
        return `${this.pick(['topk', 'bottomk'])}${by()} (${this.pick(['1', '2', '3'])}, ${this.vector(depth - 1)})`;
      case 7:
        return `quantile${by()} (${this.pick(['0', '0.5', '0.9', '1'])}, ${this.vector(depth - 1)})`;
      case 8:
        return `${this.paren(this.vector(depth - 1))} ${this.pick([...ARITH, ...CMP])}${this.chance(0.3) ? ' bool' : ''} ${this.scalar(depth - 1)}`.replace(/ (\+|-|\*|\/|%|\^|atan2) bool/, ' $1');
      case 9:
        return `${this.scalar(depth - 1)} ${this.pick([...ARITH, ...CMP])} ${this.paren(this.vector(depth - 1))}`;
      case 10: {
        const op = this.pick([...ARITH, ...CMP, ...SET]);
        const matching = this.chance(0.5) ? ` ${this.pick(['on', 'ignoring'])}(${this.labels()})` : '';
        const group = matching && !SET.includes(op) && this.chance(0.3) ? ` ${this.pick(['group_left', 'group_right'])}` : '';
        return `${this.paren(this.vector(depth - 1))} ${op}${matching}${group} ${this.paren(this.vector(depth - 1))}`;
      }
      case 11:
        return `-${this.paren(this.vector(depth - 1))}`;
      case 12:
        return this.pick([
          `label_replace(${this.vector(depth - 1)}, "dst", "$1", "${this.pick(LABELS)}", "(.*)")`,
          `label_join(${this.vector(depth - 1)}, "dst", "-", "${this.pick(LABELS)}", "${this.pick(LABELS)}")`,
          `clamp(${this.vector(depth - 1)}, ${this.number()}, ${this.number()})`,
          `clamp_min(${this.vector(depth - 1)}, ${this.number()})`,
          `absent(${this.vector(depth - 1)})`,
          `vector(${this.scalar(depth - 1)})`,
          `histogram_quantile(${this.pick(['0.5', '0.9', '0.99'])}, ${this.vector(depth - 1)})`,
          `count_values("value", ${this.vector(depth - 1)})`,
          `predict_linear(${this.matrix(depth - 1)}, ${this.number()})`,
          `quantile_over_time(${this.pick(['0.1', '0.5', '0.95'])}, ${this.matrix(depth - 1)})`,
          `absent_over_time(${this.matrix(depth - 1)})`,
          `holt_winters(${this.matrix(depth - 1)}, ${this.pick(['0.1', '0.5', '0.9'])}, ${this.pick(['0.2', '0.5'])})`,
        ]);
      default:
        return `(${this.vector(depth - 1)})`;
    }
  }
}
