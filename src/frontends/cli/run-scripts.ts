import { COMMANDS } from '../../commands/table.js';
import { OpsError, exitCodeOf } from '../../core/errors.js';
import { runReplay, scriptLines, type ScriptSource } from '../../shell/replay-runner.js';
import { execute, formatError, toOpsError, type FrontendIo } from '../execute.js';
import type { SessionPool } from '../session-pool.js';
import { parseArgs } from './build-program.js';
import type { TopLevel } from './top-level.js';
import { checkReplayCommand } from './check-replay-command.js';
import { cliIo } from './cli-io.js';
import type { ProcessOutput } from './process-output.js';

/**
 * Runs scripts: -c lines, files, or stdin (a stream: read as it arrives). Each line parses and
 * executes exactly as a one-shot command does; flags given to the runner apply to every line.
 */
export async function runScripts(top: TopLevel, pool: SessionPool, env: NodeJS.ProcessEnv, signal: AbortSignal, output: ProcessOutput, version: string): Promise<number> {
  const vars: Record<string, string> = {};
  for (const kv of top.vars) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new OpsError('usage', `--var takes NAME=VALUE, not "${kv}"`);
    vars[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const io = cliIo(env, signal, false, output);
  let captured = { out: '', err: '' };
  const lineIo: FrontendIo = { ...io, out: (t) => ((captured.out += t), io.out(t)), err: (t) => ((captured.err += t), io.err(t)), ask: undefined };
  const summary = await runReplay(await scriptSources(top, output), {
    vars,
    env,
    continueOnError: top.continueOnError,
    echo: top.echo,
    signal,
    report: output.err,
    checkCommand: (words) => checkReplayCommand(words, COMMANDS, version),
    async exec(words) {
      captured = { out: '', err: '' };
      let exitCode: number;
      let data: unknown;
      try {
        const parsed = parseArgs(COMMANDS, words, 'replay', version);
        if (parsed.kind !== 'command') {
          lineIo.out(parsed.kind === 'printed' ? parsed.text : '');
          exitCode = 0;
        } else {
          // Flags given on the script's command line (--profile, -o, --yes...) apply to every line.
          const globals = { ...parsed.inv.globals };
          for (const k of ['profile', 'config', 'dataDir', 'output'] as const) if (globals[k] === undefined && top.globals[k] !== undefined) (globals as Record<string, unknown>)[k] = top.globals[k];
          globals.yes ||= top.globals.yes;
          globals.color &&= top.globals.color;
          const outcome = await execute({ ...parsed.inv, globals }, pool, lineIo, version);
          exitCode = outcome.exitCode;
          data = outcome.data;
        }
      } catch (e) {
        const err = toOpsError(e);
        lineIo.err(formatError(err) + '\n');
        exitCode = exitCodeOf(err.kind);
      }
      // The line's output reaches the pipe (or fails to) before the next line starts, so a reader
      // that went away stops the script before anything else runs.
      await output.flushed();
      return { exitCode, stdout: captured.out, stderr: captured.err, data };
    },
  });
  return summary.exitCode;
}

/**
 * The script's parts in order: each -c line, then each file (read now, so a missing one refuses
 * the script before anything runs), or stdin, which stays a stream: it may be a live pipe.
 */
async function scriptSources(top: TopLevel, output: ProcessOutput): Promise<ScriptSource[]> {
  const stdin = (notice: boolean): ScriptSource => ({
    whole: false,
    async *lines() {
      // A terminal that cannot host the console (TERM=dumb, CI set): say what is happening.
      if (notice && process.stdin.isTTY === true) output.err('opsdeck: reading commands, one per line (Ctrl-D ends; "opsdeck help" lists them)\n');
      yield* scriptLines('<stdin>', process.stdin);
    },
  });
  const list: ScriptSource[] = top.commands.map((cmd, i) => ({ whole: true, lines: () => scriptLines(`-c#${i + 1}`, cmd) }));
  for (const file of top.files) {
    if (file === '-') {
      list.push(stdin(false));
      continue;
    }
    let text: string;
    try {
      const { readFile } = await import('node:fs/promises');
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new OpsError('usage', `cannot read script ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path');
    }
    list.push({ whole: true, lines: () => scriptLines(file, text) });
  }
  if (top.commands.length === 0 && top.files.length === 0) list.push(stdin(true));
  return list;
}
