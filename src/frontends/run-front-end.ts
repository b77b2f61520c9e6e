import { COMMANDS } from '../commands/table.js';
import { OpsError, exitCodeOf } from '../core/errors.js';
import type { Parsed } from './cli/build-program.js';
import { parseLine } from './cli/parse-line.js';
import { topLevel } from './cli/top-level.js';
import { cliIo } from './cli/cli-io.js';
import type { ProcessOutput } from './cli/process-output.js';
import { execute, formatError, toOpsError, type FrontendIo } from './execute.js';
import { SessionPool } from './session-pool.js';

/**
 * Chooses the front end: a command in argv runs one-shot (whatever stdin is); `replay`, -c and -f
 * run scripts; piped stdin with no command is a script too. Returns the exit code. Loaded by
 * main.ts for every command line it does not answer itself (see quick-answer.ts).
 */
export async function runFrontEnd(argv: string[], env: NodeJS.ProcessEnv, abort: AbortController, output: ProcessOutput, version: string): Promise<number> {
  let interrupts = 0;
  const onSigint = () => {
    // First Ctrl-C cancels the running command (a lock wait, a watch); a second one leaves now.
    if (++interrupts > 1) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const pool = new SessionPool(version, env);
  const debug = argv.includes('--debug');
  if (argv[0] === '__complete') {
    // The shells' completion scripts call this on every Tab: it answers or says nothing, never fails.
    try {
      const { shellComplete } = await import('./cli/shell-complete.js');
      process.stdout.write(await shellComplete(argv.slice(1), pool, env));
    } catch {
      // A broken profile file or an unreadable line: no candidates, and nothing on the terminal.
    } finally {
      process.off('SIGINT', onSigint);
      void pool.dispose();
    }
    return 0;
  }
  try {
    // `opsdeck` alone (the console) needs no parser at all.
    const parsed: Parsed = argv.length === 0 ? { kind: 'top', top: topLevel({}, []) } : await parseLine(COMMANDS, argv, 'cli', version);
    if (parsed.kind === 'printed') {
      output.out(parsed.text);
      return 0;
    }
    if (parsed.kind === 'command') {
      const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
      const outcome = await execute(parsed.inv, pool, cliIo(env, abort.signal, interactive, output), version);
      // Ctrl-C stopped it, whether the command then ended cleanly or as cancelled: 130, as shells expect.
      return interrupts > 0 ? 130 : outcome.exitCode;
    }
    const top = parsed.top;
    const scripted = parsed.kind === 'replay' || top.commands.length > 0 || top.files.length > 0;
    if (!scripted && consoleAllowed(env)) {
      process.off('SIGINT', onSigint);
      // The boot frame first, from a small part of the console; the rest loads once the first
      // pane has answered, so it does not compete with that read (boot-console.ts).
      // The first pane's registries start connecting (their adapters loading) meanwhile: the pane
      // reads them through `services list` first thing, and a failure is its to report.
      if (!top.demo) void pool.get(top.globals).then(({ session }) => Promise.all(session.registryBackends().map((h) => h.open()))).catch(() => undefined);
      const { bootConsole } = await import('./tui/boot-console.js');
      const boot = await bootConsole({ top, pool, env, version });
      await boot.answered;
      const { startConsole } = await import('./tui/start-console.js');
      return await startConsole({ top, pool, env, version, boot });
    }
    if (!scripted && (top.demo || top.record)) {
      throw new OpsError('usage', `${top.demo ? '--demo' : '--record'} needs the interactive console, which needs a terminal on stdin and stdout (and TERM other than dumb)`, 'run it in a terminal, or script with "opsdeck replay"');
    }
    // Without a console: scripts, piped stdin, or typed lines read one by one (TERM=dumb).
    // Loaded here: a one-shot command never needs the script runner, and start-up is shorter without it.
    const { runScripts } = await import('./cli/run-scripts.js');
    return await runScripts(top, pool, env, abort.signal, output, version);
  } catch (e) {
    const err = toOpsError(e);
    output.err(formatError(err, debug && !(e instanceof OpsError) ? (e as Error).stack : undefined) + '\n');
    return exitCodeOf(err.kind);
  } finally {
    process.off('SIGINT', onSigint);
    await pool.dispose();
  }
}

/**
 * Ink is mounted only on a real terminal: both ends TTYs, TERM not dumb, and not under CI. "Under
 * CI" uses Ink's own rule (CI or CONTINUOUS_INTEGRATION set to anything but 0/false, even empty),
 * because Ink withholds every frame then and the console would look frozen.
 */
function consoleAllowed(env: NodeJS.ProcessEnv): boolean {
  const set = (v: string | undefined) => v !== undefined && v !== '0' && v !== 'false';
  const ci = set(env.CI) || set(env.CONTINUOUS_INTEGRATION);
  return process.stdin.isTTY === true && process.stdout.isTTY === true && env.TERM !== 'dumb' && !ci;
}
