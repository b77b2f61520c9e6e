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
  return wakeOrTimeout(null, ms, signal).then(() => undefined);
}

/**
 * Waits for `wake` (a watch firing, say), at most `ms`, and no longer once `signal` aborts (not at
 * all if it has already). True when `wake` came first. Never rejects (a rejected `wake` counts as
 * woken: whoever reads next will meet the error), and leaves no timer or listener behind.
 */
export function wakeOrTimeout(wake: Promise<unknown> | null, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => settle(false), ms);
    const detach = onAbort(signal, () => settle(false));
    wake?.then(() => settle(true), () => settle(true));
    function settle(woken: boolean) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      detach();
      resolve(woken);
    }
  });
}
