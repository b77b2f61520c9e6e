/**
 * An abort controller for an inner scope (a watch, a set of feeds) that also aborts with its
 * parent signal, including a parent aborted before the scope began: its 'abort' event has fired
 * already, and a scope that only listened for it ran on until a second Ctrl-C. `release` detaches
 * it from the parent when the scope ends.
 */
export function childAbort(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (parent.aborted) controller.abort();
  else parent.addEventListener('abort', stop, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', stop) };
}
