import type { LoadPlan, LoadResult, RunLoadOptions } from '../../loadgen/load-types.js';

export interface LoadEngine {
  runLoad(plan: LoadPlan, opts: RunLoadOptions): Promise<LoadResult>;
}

/** The load engine, loaded on first use: worker threads and histograms stay out of start-up. */
export async function loadEngine(): Promise<LoadEngine> {
  return import('../../loadgen/run-load.js');
}
