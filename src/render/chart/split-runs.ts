/** A finite sample: unix seconds and value. */
export type Sample = [number, number];

/**
 * Splits time-ordered samples into runs drawn as connected lines. A null or non-finite value
 * breaks the line, and so does a time jump over 1.5 times the series' usual (median) step:
 * Prometheus leaves absent samples out of a range result instead of sending nulls.
 */
export function splitRuns(points: ReadonlyArray<readonly [number, number | null]>): Sample[][] {
  const step = usualStep(points);
  const runs: Sample[][] = [];
  let run: Sample[] = [];
  let prev: number | undefined;
  for (const [t, v] of points) {
    const finite = v !== null && Number.isFinite(v);
    const jump = step > 0 && prev !== undefined && t - prev > 1.5 * step;
    if ((!finite || jump) && run.length > 0) {
      runs.push(run);
      run = [];
    }
    if (finite) run.push([t, v]);
    prev = t;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function usualStep(points: ReadonlyArray<readonly [number, number | null]>): number {
  const diffs: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const d = points[i]![0] - points[i - 1]![0];
    if (d > 0) diffs.push(d);
  }
  if (diffs.length < 2) return 0;
  diffs.sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)]!;
}
