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
