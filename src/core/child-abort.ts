import { onAbort } from './on-abort.js';

/**
 * An abort controller for an inner scope (a watch, a set of feeds) that also aborts with its
 * parent signal, including a parent aborted before the scope began (see on-abort.ts). `release`
 * detaches it from the parent when the scope ends.
 */
export function childAbort(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  const release = onAbort(parent, () => controller.abort());
  return { controller, release };
}
