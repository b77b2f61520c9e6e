import { afterEach, beforeEach } from 'vitest';
import { BIN, sandbox } from './cli.js';
import { Tmux } from './tmux.js';

/**
 * Runs the console in tmux with the sandbox's environment; after it exits, the shell prints its
 * exit code and the tty mode, so a test can check the terminal was restored.
 */
export function startConsoleIn(term: Tmux, env: NodeJS.ProcessEnv, args = ''): void {
  const vars = { ...env, TERM: 'xterm-256color', NO_COLOR: undefined, CI: undefined };
  // tmux hands its own environment to the pane; under CI that includes CI=true, which would keep Ink from drawing.
  term.start(`env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${BIN} ${args}; echo "EXITED:$?"; stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; sleep 60`, vars);
}

/**
 * A screen test: `line` ran and finished. The log holds it at the start of a line (the prompt's
 * own echo starts with the profile name), the prompt is empty again and nothing is running.
 */
export function finished(line: string, profile = 'local'): (screen: string) => boolean {
  return (s) => s.split('\n').some((l) => l.startsWith(`› ${line}`)) && new RegExp(`^${profile}›\\s*$`, 'm').test(s) && !/running /.test(s);
}

/** A fresh sandbox and a tmux terminal for each test of the file, cleaned up after it. */
export function useConsoleSandbox(cols = 120, rows = 32): { box: ReturnType<typeof sandbox>; term: Tmux } {
  const ctx = {} as { box: ReturnType<typeof sandbox>; term: Tmux };
  beforeEach(() => {
    ctx.box = sandbox();
    ctx.term = new Tmux(cols, rows);
  });
  afterEach(() => {
    ctx.term.kill();
    ctx.box.cleanup();
  });
  return ctx;
}
