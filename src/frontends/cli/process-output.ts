/**
 * The one place where the CLI and replay write to stdout and stderr, and where a write that fails
 * is handled. Without it, a reader that stops early (`opsdeck config get big -o json | head -c 10`)
 * makes Node emit an unhandled 'error' event (EPIPE) and print a stack trace.
 */
export interface ProcessOutput {
  out(text: string): void;
  err(text: string): void;
  /** Resolves once everything written so far has reached the OS or failed, so the caller knows. */
  flushed(): Promise<void>;
  /**
   * Undefined while output works. Once a stream fails: 141 when its reader went away (EPIPE), 1
   * for any other write error (a full disk, an I/O error).
   */
  readonly failedWith: number | undefined;
}

/**
 * The exit status after the reader of stdout or stderr went away. 141 is 128 + SIGPIPE, what the
 * shell reports for cat, grep or git stopped by a closed pipe, so a script author sees what every
 * other tool gives: without `set -o pipefail` the pipeline's status is the reader's (`head` → 0),
 * with it the pipeline fails the way `cat big | head` does. Exiting 0 would be wrong for replay,
 * which stops before its remaining lines: a script must not look complete when it is not.
 * (Node ignores SIGPIPE, so opsdeck cannot die by the signal itself; it exits with the status.)
 */
export const BROKEN_PIPE_EXIT = 141;

interface Stream {
  write(text: string, done: (err?: Error | null) => void): boolean;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
}

/**
 * Wraps the two streams. After the first failure every later write is dropped silently (the reader
 * is gone, or the disk is full: nothing useful can be said there) and `onFail` runs once, so the
 * front end can stop what it is doing: a watch must not stream into a closed pipe forever, and a
 * script must not run its next line.
 */
export function processOutput(onFail: () => void, streams: { out: Stream; err: Stream } = { out: process.stdout, err: process.stderr }): ProcessOutput {
  let failedWith: number | undefined;
  let pending = 0;
  let waiters: Array<() => void> = [];

  const fail = (name: 'stdout' | 'stderr', e: NodeJS.ErrnoException): void => {
    if (failedWith !== undefined) return;
    const brokenPipe = e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';
    failedWith = brokenPipe ? BROKEN_PIPE_EXIT : 1;
    // A reader that went away is not news; any other failure is said once, where it still can be.
    if (!brokenPipe && name === 'stdout') streams.err.write(`opsdeck: cannot write to stdout: ${e.code ?? e.message} (hint: check where the output goes)\n`, () => undefined);
    onFail();
  };
  // The listeners stay for the life of the process: a write still in flight when main returns can
  // fail after it, and an 'error' event without a listener is what crashed.
  streams.out.on('error', (e) => fail('stdout', e));
  streams.err.on('error', (e) => fail('stderr', e));

  const write = (name: 'stdout' | 'stderr', stream: Stream, text: string): void => {
    if (failedWith !== undefined || text === '') return;
    pending++;
    stream.write(text, (e) => {
      if (e) fail(name, e as NodeJS.ErrnoException);
      if (--pending === 0) {
        const ready = waiters;
        waiters = [];
        for (const w of ready) w();
      }
    });
  };

  return {
    out: (t) => write('stdout', streams.out, t),
    err: (t) => write('stderr', streams.err, t),
    flushed: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    get failedWith() {
      return failedWith;
    },
  };
}
