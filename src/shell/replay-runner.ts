import { readPath } from '../core/json-path.js';
import { check, type LastResult } from './expectation.js';
import { parseScriptLine, type ScriptStep } from './parse-script-line.js';
import { precheckScript, type CommandCheck, type ScriptSource } from './replay-precheck.js';
import { logicalLines, type ScriptLine } from './script-lines.js';
import { TokenizeError, UnsetVariableError } from './tokenize.js';

export { scriptLines, type ScriptLine } from './script-lines.js';
export type { ScriptSource } from './replay-precheck.js';

export interface ReplayOptions {
  vars: Record<string, string>;
  env: NodeJS.ProcessEnv;
  continueOnError: boolean;
  echo: boolean;
  /** Runs one command's words and reports what it printed and returned. */
  exec(words: string[]): Promise<LastResult>;
  /** Checks a command's words without running them (the pre-check); absent: syntax only. */
  checkCommand?: CommandCheck;
  /** Where failures and echoes go (stderr). */
  report(text: string): void;
  /** Ctrl-C: the script stops before its next line. */
  signal?: AbortSignal;
}

export interface ReplaySummary {
  commands: number;
  failures: string[];
  /**
   * 0 ok; 2 the script itself is unusable (the pre-check found problems, or a line over the
   * limit); 4 a failure; 130 stopped by Ctrl-C.
   */
  exitCode: 0 | 2 | 4 | 130;
}

/** Problems printed one per line before the script is refused; the rest are counted. */
const SHOWN_PROBLEMS = 20;

/**
 * Runs a script: its sources in order, line by line. Lines:
 *   COMMAND...                 a console command
 *   expect ...                 checks the previous command (see expectation.ts)
 *   set NAME VALUE | NAME=VALUE  defines ${NAME}
 *   capture NAME json PATH     sets ${NAME} from the previous command's JSON result
 *   # comment, blank lines, and a trailing \ to continue a line
 * A command that exits non-zero fails the script unless the lines after it say `expect exit N`.
 *
 * Before the first command, every line of the whole sources (files, -c) is checked
 * (replay-precheck.ts); any problem refuses the script with exit 2 and nothing runs. A stream
 * (stdin) is read as it arrives, so a live pipe works, and its lines are judged one by one; a
 * whole source after a stream is checked again, with the variables as they are then, before its
 * first line runs.
 */
export async function runReplay(input: ScriptSource[] | AsyncIterable<ScriptLine>, opts: ReplayOptions): Promise<ReplaySummary> {
  // Bare lines are one stream: read as they come, not checked first.
  const sources = Array.isArray(input) ? input : [{ whole: false, lines: () => input }];
  const vars = new Map(Object.entries(opts.vars));
  const lookup = (name: string) => vars.get(name) ?? opts.env[name];
  const failures: string[] = [];
  let commands = 0;
  let last: (LastResult & { where: string; exitChecked: boolean }) | null = null;
  let stopped = false;

  const fail = (where: string, message: string): boolean => {
    const line = `${where}: ${message}`;
    failures.push(line);
    opts.report(`opsdeck: replay failed at ${line}\n`);
    stopped = !opts.continueOnError;
    return stopped;
  };
  // An unexpected non-zero exit is judged once the lines after the command are known.
  const settle = (): boolean => {
    if (last && last.exitCode !== 0 && !last.exitChecked) {
      const first = last.stderr.trim().split('\n')[0] ?? '';
      last.exitChecked = true;
      return fail(last.where, `command exited ${last.exitCode}${first ? `: ${first.replace(/^opsdeck: /, '')}` : ''} (add "expect exit ${last.exitCode}" if that is intended)`);
    }
    return false;
  };

  const refuse = (problems: string[]): ReplaySummary => {
    for (const p of problems.slice(0, SHOWN_PROBLEMS)) opts.report(`opsdeck: ${p}\n`);
    const more = problems.length > SHOWN_PROBLEMS ? ` (${problems.length - SHOWN_PROBLEMS} more not shown)` : '';
    opts.report(`opsdeck: nothing was run: the script was checked before its first command and has ${problems.length} problem${problems.length === 1 ? '' : 's'}${more} (hint: fix the lines above; pass a missing variable with --var NAME=VALUE)\n`);
    return { commands, failures: problems, exitCode: 2 };
  };
  const problems = await precheckScript(sources, { vars: new Map(vars), env: opts.env, afterCommand: false }, opts.checkCommand);
  if (problems.length > 0) return refuse(problems);

  let streamed = false;
  run: for (const source of sources) {
    if (source.whole && streamed) {
      // Its variables may come from the stream before it: check it now that they are known.
      const later = await precheckScript([source], { vars: new Map(vars), env: opts.env, afterCommand: last !== null }, opts.checkCommand);
      if (later.length > 0) return refuse(later);
    }
    streamed ||= !source.whole;
    for await (const line of logicalLines(source.lines())) {
      if (opts.signal?.aborted) {
        opts.report(`opsdeck: replay stopped by Ctrl-C before ${line.source}:${line.line}\n`);
        return { commands, failures, exitCode: 130 };
      }
      const where = `${line.source}:${line.line}`;
      if (line.problem) {
        // A line that cannot even be read is a usage error, whatever --continue-on-error says.
        if (line.problem.usage) {
          failures.push(`${where}: ${line.problem.message}`);
          opts.report(`opsdeck: ${where}: ${line.problem.message}\n`);
          return { commands, failures, exitCode: 2 };
        }
        // The command before is judged first: its line comes earlier.
        if (!settle()) fail(where, line.problem.message);
        break run;
      }
      let step: ScriptStep | null;
      try {
        step = parseScriptLine(line.text, lookup);
      } catch (e) {
        // A line that does not tokenize (an unclosed quote) is a usage error of the script, exit
        // 2 as the pre-check gives a whole file, not a failure of a command that never ran. An unset
        // variable stays a failure (4): in a stream it may be one an earlier capture failed to set.
        if (e instanceof TokenizeError && !(e instanceof UnsetVariableError) && !settle()) {
          failures.push(`${where}: ${e.message}`);
          opts.report(`opsdeck: ${where}: ${e.message} (hint: close the quote, or quote the whole word with '...')\n`);
          return { commands, failures, exitCode: 2 };
        }
        if (fail(where, (e as Error).message)) break run;
        continue;
      }
      if (step === null) continue;

      if (step.kind === 'expect') {
        if (!last) {
          if (fail(where, 'expect has no command before it')) break run;
          continue;
        }
        if (step.expectation.kind === 'exit') last.exitChecked = true;
        const problem = check(step.expectation, last);
        if (problem && fail(where, problem)) break run;
        continue;
      }
      if (settle()) break run;
      if (step.kind === 'set') {
        vars.set(step.name, step.value);
        continue;
      }
      if (step.kind === 'capture') {
        const value = last ? readPath(last.data, step.path) : undefined;
        const problem = !last ? 'write "capture NAME json PATH" after a command' : value === undefined ? `json ${step.path} is missing in the previous result` : null;
        if (problem) {
          if (fail(where, problem)) break run;
          continue;
        }
        vars.set(step.name, typeof value === 'string' ? value : JSON.stringify(value));
        continue;
      }
      if (opts.echo) opts.report(`+ ${line.text.trim()}\n`);
      commands++;
      const result = await opts.exec(step.words);
      last = { ...result, where, exitChecked: false };
    }
  }
  if (!stopped) settle();
  return { commands, failures, exitCode: failures.length > 0 ? 4 : 0 };
}
