/**
 * Everything that needs the Lezer PromQL parser, in one module that is only ever imported
 * dynamically (see load.ts): start-up of commands that never touch PromQL does not pay for it.
 */
export { lintPromql, describeProblem, type PromqlProblem } from './lint.js';
export { promqlContext, type PromqlContext, type PromqlTarget } from '../completion/promql-context.js';
