// The simulator's names and default sizes, apart from the policies themselves: the command table
// declares `cache simulate`'s options with them, and every start reads the table, while the
// policies load only when a simulation runs.

export const POLICIES = ['lru', 'w-tinylfu', 's3-fifo', 'belady'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** The default sweep, as shares of the distinct keys in the trace. */
export const DEFAULT_SIZE_SHARES = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2] as const;

/** Cache sizes for a sweep over `shares` of the distinct keys: whole, at least 1, no repeats. */
export function sizesFor(distinct: number, shares: readonly number[] = DEFAULT_SIZE_SHARES): number[] {
  const sizes = shares.map((s) => Math.max(1, Math.round(s * distinct)));
  return [...new Set(sizes)].sort((a, b) => a - b);
}
