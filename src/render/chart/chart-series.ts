/**
 * One line of a chart: a label and its samples, `[unix seconds, value]`. A null or non-finite
 * value is a gap, drawn as a break in the line.
 */
export interface ChartSeries {
  label: string;
  points: Array<[number, number | null]>;
}
