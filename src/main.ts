import { writeSync } from 'node:fs';
import { versionInfo } from './commands/misc/version-info.js';
import { BROKEN_PIPE_EXIT, processOutput, type ProcessOutput } from './frontends/cli/process-output.js';

declare const OPSDECK_VERSION: string | undefined;
export const VERSION = typeof OPSDECK_VERSION === 'string' ? OPSDECK_VERSION : '0.0.0-dev';

/**
 * Runs one command line and returns the exit code. This module is all that every start reads:
 * the command table, commander and the front ends load only when the line needs them
 * (run-front-end.ts), so `opsdeck version -o json` answers without them.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const abort = new AbortController();
  // A reader of stdout or stderr that goes away stops the run the way a first Ctrl-C does (a watch
  // ends, a script stops before its next line), quietly, and decides the exit status.
  const output = processOutput(() => abort.abort());
  let code: number;
  if (versionAsJson(argv, process.stdout.isTTY === true)) {
    code = writeDirect(`${JSON.stringify(versionInfo(VERSION), null, 2)}\n`, output);
  } else {
    const { runFrontEnd } = await import('./frontends/run-front-end.js');
    code = await runFrontEnd(argv, env, abort, output, VERSION);
  }
  await output.flushed();
  return output.failedWith ?? code;
}

/**
 * `version` alone with JSON output (asked for, or the default off a terminal): what scripts and
 * health checks run most. Answered here exactly as the `version` command answers it; any other
 * flag (--help, -o yaml, a typo) goes the full way, through the command table.
 */
function versionAsJson(argv: string[], tty: boolean): boolean {
  if (argv[0] !== 'version') return false;
  const rest = argv.slice(1).join(' ');
  return (rest === '' && !tty) || rest === '-o json' || rest === '--output json' || rest === '--output=json';
}

/**
 * Writes to fd 1 without creating process.stdout: on a pipe that stream loads Node's net module
 * (and child_process and cluster with it), which costs more than the rest of the answer. What
 * fd 1 will not take now (a full non-blocking pipe, an error) goes through the stream after all.
 */
function writeDirect(text: string, output: ProcessOutput): number {
  let buf = Buffer.from(text);
  try {
    while (buf.length > 0) buf = buf.subarray(writeSync(1, buf));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return BROKEN_PIPE_EXIT;
    // A full non-blocking pipe (EAGAIN) waits in the stream; any other failure is reported by it.
    output.out(buf.toString());
  }
  return 0;
}

/** Entry point used by bin/opsdeck.js. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // The work is done; a client library's stray reconnect timer must not keep the process alive.
  setTimeout(() => process.exit(code), 2000).unref();
}
