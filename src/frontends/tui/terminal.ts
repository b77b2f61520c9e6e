// Home the cursor after switching: the alternate screen keeps the cursor row, and Ink draws from there.
const ENTER = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?2004h\x1b[?25l';
const LEAVE = '\x1b[?2004l\x1b[?25h\x1b[?1049l';
// SGR mouse reports (button presses, the wheel among them). Off unless asked for: while a program
// takes mouse reports, the terminal's own selection needs Shift (Option in iTerm2) held.
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

/**
 * Puts the terminal into console mode (alternate screen, bracketed paste, raw input, hidden
 * cursor) and returns an idempotent restore. Restore also runs on process exit, uncaught errors
 * and termination signals, so no exit path leaves the user's terminal broken.
 */
export function enterConsoleMode(input: NodeJS.ReadStream, output: NodeJS.WriteStream, o: { mouse?: boolean } = {}): { restore(): void; suspend<T>(fn: () => T): T } {
  let active = true;
  const on = () => {
    output.write(ENTER + (o.mouse ? MOUSE_ON : ''));
    if (input.isTTY) input.setRawMode(true);
  };
  const off = () => {
    if (input.isTTY) input.setRawMode(false);
    output.write((o.mouse ? MOUSE_OFF : '') + LEAVE);
  };
  const restore = () => {
    if (!active) return;
    active = false;
    off();
    process.off('exit', restore);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  };
  const crash = (e: unknown) => {
    restore();
    process.stderr.write(`opsdeck: the console crashed: ${(e as Error)?.stack ?? String(e)}\n(hint: your terminal was restored; please report this)\n`);
    process.exit(1);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    restore();
    process.exit(128 + (sig === 'SIGHUP' ? 1 : 15));
  };
  on();
  process.on('exit', restore);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  for (const sig of SIGNALS) process.on(sig, onSignal);
  return {
    restore,
    /** Hands the terminal to another program (an editor) for the duration of fn. */
    suspend<T>(fn: () => T): T {
      off();
      try {
        return fn();
      } finally {
        on();
      }
    },
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
