import type { Metric } from './labels.js';

/** One element of an instant vector; `t` is the sample's own time for a plain selector (timestamp() reads it), else the step. */
export interface Sample {
  metric: Metric;
  v: number;
  t: number;
}

/** A series with points, as a range selector or subquery yields it. */
export interface PointSeries {
  metric: Metric;
  t: ArrayLike<number>;
  v: ArrayLike<number>;
}

export type StepValue =
  | { type: 'vector'; v: Sample[] }
  | { type: 'scalar'; v: number }
  | { type: 'string'; v: string }
  | { type: 'matrix'; v: PointSeries[] };
