/**
 * Runs `fn` once when `signal` aborts, or at once if it has already: its 'abort' event fired before
 * anyone listened and will not fire again, so a wait that only listened ran on to its timer (a lock
 * wait to its deadline, a collector forever) after a Ctrl-C that came while it started. Returns
 * what detaches `fn`. Call it after everything `fn` touches exists: it may run `fn` right away.
 */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (signal === undefined) return () => undefined;
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/** Waits `ms`, or less when `signal` aborts (not at all if it has already). Never rejects. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(wake, ms);
    const detach = onAbort(signal, wake);
    function wake() {
      clearTimeout(timer);
      detach();
      resolve();
    }
  });
}
