import type { CommandSpec, RawValue } from '../../commands/types.js';
import { promqlProblem } from '../../shell/promql/load.js';
import { toOpsError } from '../execute.js';
import { parseArgs } from './build-program.js';

/**
 * The replay pre-check of one command line, without running it: the same parser as the run
 * (unknown commands and flags, missing arguments, bad choices), then the PromQL syntax of every
 * argument declared `complete: 'promql'`. Returns the reason as one line, or null.
 */
export async function checkReplayCommand(words: string[], commands: readonly CommandSpec[], version: string): Promise<string | null> {
  let spec: CommandSpec;
  let args: Record<string, RawValue>;
  try {
    const parsed = parseArgs(commands, words, 'replay', version);
    if (parsed.kind !== 'command') return null;
    ({ spec } = parsed.inv);
    args = parsed.inv.input.args;
  } catch (e) {
    const err = toOpsError(e);
    return `${err.message}${err.hint ? ` (hint: ${err.hint})` : ''}`;
  }
  for (const arg of spec.args.filter((a) => a.complete === 'promql')) {
    const value = args[arg.name];
    for (const expr of Array.isArray(value) ? value : typeof value === 'string' ? [value] : []) {
      // Only the sentence: the caret lines do not fit a file:line report.
      const problem = await promqlProblem(expr);
      if (problem) return problem.split('\n')[0]!;
    }
  }
  return null;
}
