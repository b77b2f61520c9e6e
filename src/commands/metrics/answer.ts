import type { MetricsAnswer } from '../../core/metrics.js';
import type { Ctx } from '../types.js';

/** Returns the data of an answer after showing its warnings: partial or odd results must be visible. */
export function unwrap<T>(ctx: Ctx, answer: MetricsAnswer<T>): T {
  for (const w of answer.warnings) ctx.warn(`the server warns: ${w}`);
  return answer.data;
}
