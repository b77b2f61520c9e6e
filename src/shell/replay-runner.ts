import { readPath } from '../core/json-path.js';
import { check, parseExpectation, type LastResult } from './expectation.js';
import { logicalLines, type ScriptLine } from './script-lines.js';
import { TokenizeError, splitExpectation, tokenize } from './tokenize.js';

export { scriptLines, type ScriptLine } from './script-lines.js';

export interface ReplayOptions {
  vars: Record<string, string>;
  env: NodeJS.ProcessEnv;
  continueOnError: boolean;
  echo: boolean;
  /** Runs one command's words and reports what it printed and returned. */
  exec(words: string[]): Promise<LastResult>;
  /** Where failures and echoes go (stderr). */
  report(text: string): void;
  /** Ctrl-C: the script stops before its next line. */
  signal?: AbortSignal;
}

export interface ReplaySummary {
  commands: number;
  failures: string[];
  /** 0 ok, 2 the script itself is unusable (a line over the limit), 4 a failure, 130 stopped by Ctrl-C. */
  exitCode: 0 | 2 | 4 | 130;
}

/**
 * Runs a script line by line as it arrives (stdin may be a live pipe). Lines:
 *   COMMAND...                 a console command
 *   expect ...                 checks the previous command (see expectation.ts)
 *   set NAME VALUE | NAME=VALUE  defines ${NAME}
 *   capture NAME json PATH     sets ${NAME} from the previous command's JSON result
 *   # comment, blank lines, and a trailing \ to continue a line
 * A command that exits non-zero fails the script unless the lines after it say `expect exit N`.
 */
export async function runReplay(lines: AsyncIterable<ScriptLine>, opts: ReplayOptions): Promise<ReplaySummary> {
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

  for await (const line of logicalLines(lines)) {
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
      break;
    }
    const text = line.text.trim();
    if (text === '' || text.startsWith('#')) continue;
    let words: string[];
    try {
      const isExpect = /^expect(\s|$)/.test(text);
      words = isExpect ? ['expect', ...splitExpectation(text.slice(6), lookup)] : tokenize(text, lookup);
    } catch (e) {
      if (e instanceof TokenizeError && fail(where, e.message)) break;
      continue;
    }
    if (words.length === 0) continue;
    const [head, ...rest] = words as [string, ...string[]];

    if (head === 'expect') {
      if (!last) {
        if (fail(where, 'expect has no command before it')) break;
        continue;
      }
      let problem: string | null;
      try {
        const e = parseExpectation(rest);
        if (e.kind === 'exit') last.exitChecked = true;
        problem = check(e, last);
      } catch (err) {
        problem = (err as Error).message;
      }
      if (problem && fail(where, problem)) break;
      continue;
    }
    if (settle()) break;
    if (head === 'set') {
      const eq = rest[0]?.indexOf('=') ?? -1;
      const name = eq > 0 ? rest[0]!.slice(0, eq) : rest[0];
      const value = eq > 0 ? [rest[0]!.slice(eq + 1), ...rest.slice(1)].join(' ') : rest.slice(1).join(' ');
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        if (fail(where, 'write "set NAME VALUE"')) break;
        continue;
      }
      vars.set(name, value);
      continue;
    }
    if (head === 'capture') {
      const [name, kind, path] = rest;
      if (!name || kind !== 'json' || path === undefined || !last) {
        if (fail(where, 'write "capture NAME json PATH" after a command')) break;
        continue;
      }
      let value: unknown;
      try {
        value = readPath(last.data, path);
      } catch (err) {
        value = undefined;
        if (fail(where, (err as Error).message)) break;
        continue;
      }
      if (value === undefined) {
        if (fail(where, `json ${path} is missing in the previous result`)) break;
        continue;
      }
      vars.set(name, typeof value === 'string' ? value : JSON.stringify(value));
      continue;
    }
    if (opts.echo) opts.report(`+ ${text}\n`);
    commands++;
    const result = await opts.exec(words);
    last = { ...result, where, exitChecked: false };
  }
  if (!stopped) settle();
  return { commands, failures, exitCode: failures.length > 0 ? 4 : 0 };
}
