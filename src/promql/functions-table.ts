import type { ValueType } from './ast.js';

/**
 * Prometheus 2.42's function signatures: argument types, how many trailing arguments may be left
 * out (`optional`) or repeated (`variadic`), and the result type. The parser checks calls against
 * this table the way Prometheus does, so a wrong call fails before evaluation.
 */
export interface FunctionSignature {
  args: ValueType[];
  /** Trailing arguments that may be omitted. */
  optional?: number;
  /** The last argument may repeat (label_join's source labels). */
  variadic?: boolean;
  returns: ValueType;
}

const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';

const instant = (): FunctionSignature => ({ args: [v], returns: v });
const overTime = (): FunctionSignature => ({ args: [m], returns: v });
const date = (): FunctionSignature => ({ args: [v], optional: 1, returns: v });

export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: instant(),
  absent: instant(),
  absent_over_time: overTime(),
  acos: instant(),
  acosh: instant(),
  asin: instant(),
  asinh: instant(),
  atan: instant(),
  atanh: instant(),
  avg_over_time: overTime(),
  ceil: instant(),
  changes: overTime(),
  clamp: { args: [v, s, s], returns: v },
  clamp_max: { args: [v, s], returns: v },
  clamp_min: { args: [v, s], returns: v },
  cos: instant(),
  cosh: instant(),
  count_over_time: overTime(),
  days_in_month: date(),
  day_of_month: date(),
  day_of_week: date(),
  day_of_year: date(),
  deg: instant(),
  delta: overTime(),
  deriv: overTime(),
  exp: instant(),
  floor: instant(),
  histogram_count: instant(),
  histogram_sum: instant(),
  histogram_fraction: { args: [s, s, v], returns: v },
  histogram_quantile: { args: [s, v], returns: v },
  holt_winters: { args: [m, s, s], returns: v },
  hour: date(),
  idelta: overTime(),
  increase: overTime(),
  irate: overTime(),
  label_replace: { args: [v, str, str, str, str], returns: v },
  label_join: { args: [v, str, str, str], variadic: true, returns: v },
  last_over_time: overTime(),
  ln: instant(),
  log10: instant(),
  log2: instant(),
  max_over_time: overTime(),
  min_over_time: overTime(),
  minute: date(),
  month: date(),
  pi: { args: [], returns: s },
  predict_linear: { args: [m, s], returns: v },
  present_over_time: overTime(),
  quantile_over_time: { args: [s, m], returns: v },
  rad: instant(),
  rate: overTime(),
  resets: overTime(),
  round: { args: [v, s], optional: 1, returns: v },
  scalar: { args: [v], returns: s },
  sgn: instant(),
  sin: instant(),
  sinh: instant(),
  sort: instant(),
  sort_desc: instant(),
  sqrt: instant(),
  stddev_over_time: overTime(),
  stdvar_over_time: overTime(),
  sum_over_time: overTime(),
  tan: instant(),
  tanh: instant(),
  time: { args: [], returns: s },
  timestamp: instant(),
  vector: { args: [s], returns: v },
  year: date(),
};
