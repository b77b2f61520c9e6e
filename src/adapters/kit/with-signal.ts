import { cancelledWrite } from '../../core/errors.js';

/**
 * A view of an adapter's HTTP wrapper that puts the caller's `signal` on every request sent
 * through it, so a write's requests end when its caller walks away (Ctrl-C, a pane closing).
 * The view reads everything else from the wrapper itself (prototype chain); the methods listed in
 * `own` run on the wrapper, because they keep state (a token, a probe, a cache) that must stay
 * the wrapper's and not become the view's.
 */
export function withRequestSignal<T extends { send(req: { signal?: AbortSignal }): Promise<unknown> }>(client: T, signal: AbortSignal | undefined, own: readonly (keyof T)[] = []): T {
  if (signal === undefined) return client;
  const view = Object.create(client) as T;
  const methods = client as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>;
  const target = view as unknown as Record<PropertyKey, unknown>;
  target.send = (req: { signal?: AbortSignal }) => client.send({ ...req, signal: req.signal ?? signal });
  for (const m of own) target[m as PropertyKey] = (...a: unknown[]) => methods[m as PropertyKey]!.apply(client, a);
  return view;
}

/**
 * Refuses a write whose caller already walked away (Ctrl-C before it started), as every registry
 * and config backend must: nothing is sent, and the error says nothing was written.
 */
export function refuseIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw cancelledWrite(what);
}
