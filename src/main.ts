import { COMMANDS } from './commands/table.js';
import { OpsError, exitCodeOf } from './core/errors.js';
import { parseArgs, type TopLevel } from './frontends/cli/build-program.js';
import { cliIo } from './frontends/cli/cli-io.js';
import { processOutput, type ProcessOutput } from './frontends/cli/process-output.js';
import { execute, formatError, toOpsError, type FrontendIo } from './frontends/execute.js';
import { SessionPool } from './frontends/session-pool.js';

declare const OPSDECK_VERSION: string | undefined;
export const VERSION = typeof OPSDECK_VERSION === 'string' ? OPSDECK_VERSION : '0.0.0-dev';

/**
 * Chooses the front end: a command in argv runs one-shot (whatever stdin is); `replay`, -c and -f
 * run scripts; piped stdin with no command is a script too. Returns the exit code.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const abort = new AbortController();
  // A reader of stdout or stderr that goes away stops the run the way a first Ctrl-C does (a watch
  // ends, a script stops before its next line), quietly, and decides the exit status.
  const output = processOutput(() => abort.abort());
  const code = await frontEnd(argv, env, abort, output);
  await output.flushed();
  return output.failedWith ?? code;
}

async function frontEnd(argv: string[], env: NodeJS.ProcessEnv, abort: AbortController, output: ProcessOutput): Promise<number> {
  let interrupts = 0;
  const onSigint = () => {
    // First Ctrl-C cancels the running command (a lock wait, a watch); a second one leaves now.
    if (++interrupts > 1) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const pool = new SessionPool(VERSION, env);
  const debug = argv.includes('--debug');
  if (argv[0] === '__complete') {
    // The shells' completion scripts call this on every Tab: it answers or says nothing, never fails.
    try {
      const { shellComplete } = await import('./frontends/cli/shell-complete.js');
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
    const parsed = parseArgs(COMMANDS, argv, 'cli', VERSION);
    if (parsed.kind === 'printed') {
      output.out(parsed.text);
      return 0;
    }
    if (parsed.kind === 'command') {
      const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
      const outcome = await execute(parsed.inv, pool, cliIo(env, abort.signal, interactive, output), VERSION);
      // Ctrl-C stopped it, whether the command then ended cleanly or as cancelled: 130, as shells expect.
      return interrupts > 0 ? 130 : outcome.exitCode;
    }
    const top = parsed.top;
    const scripted = parsed.kind === 'replay' || top.commands.length > 0 || top.files.length > 0;
    if (!scripted && consoleAllowed(env)) {
      process.off('SIGINT', onSigint);
      const { startConsole } = await import('./frontends/tui/start-console.js');
      return await startConsole({ top, pool, env, version: VERSION });
    }
    if (!scripted && (top.demo || top.record)) {
      throw new OpsError('usage', `${top.demo ? '--demo' : '--record'} needs the interactive console, which needs a terminal on stdin and stdout (and TERM other than dumb)`, 'run it in a terminal, or script with "opsdeck replay"');
    }
    // Without a console: scripts, piped stdin, or typed lines read one by one (TERM=dumb).
    // Loaded here: a one-shot command never needs the script runner, and start-up is shorter without it.
    const { runScripts } = await import('./frontends/cli/run-scripts.js');
    return await runScripts(top, pool, env, abort.signal, output, VERSION);
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

/** Entry point used by bin/opsdeck.js. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // The work is done; a client library's stray reconnect timer must not keep the process alive.
  setTimeout(() => process.exit(code), 2000).unref();
}
