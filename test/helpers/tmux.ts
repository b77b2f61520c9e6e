import { execFileSync } from 'node:child_process';

/**
 * Drives a program in a real terminal: a private tmux server (its own socket), keys sent with
 * send-keys, the screen read with capture-pane. This is how a user meets the console.
 */
export class Tmux {
  readonly socket = `opsdeck-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(readonly cols = 120, readonly rows = 32) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  start(command: string, env: Record<string, string | undefined>): void {
    const vars = Object.entries(env).filter(([k, v]) => v !== undefined && /^[A-Z_][A-Z0-9_]*$/.test(k));
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(this.cols), '-y', String(this.rows), ...vars.flatMap(([k, v]) => ['-e', `${k}=${v}`]), command);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /**
   * Pastes text the way a terminal does: through a tmux buffer, wrapped in bracketed-paste marks
   * when the program asked for them (the console does).
   */
  paste(text: string): void {
    this.tmux('set-buffer', '-b', 'paste', '--', text);
    this.tmux('paste-buffer', '-p', '-d', '-b', 'paste', '-t', 'main');
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** A tmux format of the pane, such as `#{mouse_sgr_flag}` (whether the program asked for SGR mouse reports). */
  format(fmt: string): string {
    return this.tmux('display-message', '-p', '-t', 'main', fmt).trim();
  }

  /** The screen with its colours and attributes as escape sequences (what is dimmed, what is red). */
  styledScreen(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'main');
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(cols), '-y', String(rows));
  }

  /**
   * Waits until the screen passes the test. The bound is generous on purpose: these tests share
   * two cores with servers and JVMs, and a loaded machine (load average 9 was seen) slows every
   * frame. A wait only costs time when the screen is wrong, so a long bound is free when it passes.
   */
  async waitFor(test: RegExp | ((screen: string) => boolean), timeoutMs = 45_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (typeof test === 'function' ? test(last) : test.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${test}; the screen was:\n${last}`);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
