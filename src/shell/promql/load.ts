import { OpsError } from '../../core/errors.js';

export type PromqlEngine = typeof import('./engine.js');

let engine: PromqlEngine | undefined;
let loading: Promise<PromqlEngine> | undefined;

/** Loads the PromQL parser and what is built on it, once. */
export function loadPromql(): Promise<PromqlEngine> {
  loading ??= import('./engine.js').then((m) => (engine = m));
  return loading;
}

/**
 * The parser if it is loaded, else undefined after starting the load in the background: the
 * keystroke path never waits for the module, it completes without PromQL help until it is there.
 */
export function promqlEngineNow(): PromqlEngine | undefined {
  if (!engine) void loadPromql().catch(() => undefined);
  return engine;
}

/**
 * Fails with a usage error (exit 2) when `expr` has a syntax error, showing the expression with a
 * caret, so a bad query never reaches the server.
 */
export async function assertValidPromql(expr: string, what = 'the expression'): Promise<void> {
  const problem = await promqlProblem(expr);
  if (problem) throw new OpsError('usage', problem, `fix ${what}; nothing was sent to the server`);
}

/** The first syntax problem of `expr` as the user reads it (with the caret lines), or null. */
export async function promqlProblem(expr: string): Promise<string | null> {
  const { lintPromql, describeProblem } = await loadPromql();
  const first = lintPromql(expr)[0];
  return first ? describeProblem(expr, first) : null;
}
