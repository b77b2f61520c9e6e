/** The PromQL evaluator's public surface: see evaluate.ts. */
export { evaluateInstant, evaluateRange, type EvalOptions } from './evaluate.js';
export { NotSupportedError, PromqlError } from './errors.js';
export { parsePromql } from './parse-promql.js';
export { MemorySeriesSource } from './memory-source.js';
