import { parseScriptLine } from './parse-script-line.js';
import { logicalLines, type ScriptLine } from './script-lines.js';
import { UnsetVariableError } from './tokenize.js';

/** Part of a script, in the order given: a file or a -c line (whole), or stdin (a stream). */
export interface ScriptSource {
  /**
   * True when all of it is known before it runs (a file, -c), so it is checked first; false for
   * stdin, which may be a live pipe whose lines do not exist yet.
   */
  whole: boolean;
  lines(): AsyncIterable<ScriptLine>;
}

/** Checks a command line's words as the front end would parse them; null when they are fine. */
export type CommandCheck = (words: string[]) => Promise<string | null>;

/** What is known about variables where the check starts. */
export interface PrecheckScope {
  /** Names defined so far, with their value, or undefined when the value exists only at run time (capture). */
  vars: Map<string, string | undefined>;
  env: NodeJS.ProcessEnv;
  /** A command has run (or may have, in a stream) before the first line checked. */
  afterCommand: boolean;
}

/**
 * Reads every line of the whole sources before anything runs, and returns each problem as
 * `file:line: reason` (empty when the script may start). It finds what would otherwise stop the
 * script halfway, after some commands have changed things: quotes, a ${VAR} that no --var, no
 * environment variable and no earlier set/capture line defines (a recording's ${SECRET_1}
 * included), malformed set/capture/expect lines, an expect with no command before it, and what
 * `checkCommand` finds (unknown commands and flags, invalid PromQL).
 *
 * Values that only exist at run time (captured, or derived from a captured one) are not known
 * here; a line whose check may depend on one is left to the run rather than refused wrongly. A
 * command that fails to parse is also left alone when an `expect exit 2` follows it: the script
 * says it expects that refusal. A stream stops the check there and then, since its lines are not
 * known yet and may define any variable: later whole sources are checked for syntax only, and
 * fully when the run reaches them.
 */
export async function precheckScript(sources: ScriptSource[], scope: PrecheckScope, checkCommand?: CommandCheck): Promise<string[]> {
  const problems: string[] = [];
  const vars = new Map(scope.vars);
  let afterCommand = scope.afterCommand;
  let streamed = false;
  // A command whose check failed, reported unless `expect exit 2` follows before the next step.
  let pending: string | null = null;
  const settle = () => {
    if (pending) problems.push(pending);
    pending = null;
  };

  for (const source of sources) {
    if (!source.whole) {
      streamed = true;
      afterCommand = true;
      continue;
    }
    for await (const line of logicalLines(source.lines())) {
      const where = `${line.source}:${line.line}`;
      if (line.problem) {
        settle();
        problems.push(`${where}: ${line.problem.message}`);
        continue;
      }
      let runtimeValue = false;
      const lookup = (name: string): string | undefined => {
        if (vars.has(name)) {
          const value = vars.get(name);
          if (value === undefined) runtimeValue = true;
          return value ?? `\${${name}}`;
        }
        if (scope.env[name] !== undefined) return scope.env[name];
        if (!streamed) return undefined;
        runtimeValue = true;
        return `\${${name}}`;
      };
      let step;
      try {
        step = parseScriptLine(line.text, lookup);
      } catch (e) {
        settle();
        // An unset variable is a problem whatever else the line holds; other errors may come from a
        // stand-in for a value that only exists at run time.
        if (!runtimeValue || e instanceof UnsetVariableError) problems.push(`${where}: ${(e as Error).message}`);
        continue;
      }
      if (step === null) continue;
      if (step.kind === 'expect') {
        if (step.expectation.kind === 'exit' && step.expectation.code === 2) pending = null;
        if (!afterCommand) problems.push(`${where}: expect has no command before it`);
        continue;
      }
      settle();
      if (step.kind === 'set') {
        vars.set(step.name, runtimeValue ? undefined : step.value);
      } else if (step.kind === 'capture') {
        if (!afterCommand) problems.push(`${where}: write "capture NAME json PATH" after a command`);
        vars.set(step.name, undefined);
      } else {
        afterCommand = true;
        const problem = checkCommand && !runtimeValue ? await checkCommand(step.words) : null;
        if (problem) pending = `${where}: ${problem}`;
      }
    }
  }
  settle();
  return problems;
}
