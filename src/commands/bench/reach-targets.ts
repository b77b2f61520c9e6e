import { connect } from 'node:net';
import { OpsError } from '../../core/errors.js';
import type { LoadTarget } from '../../loadgen/load-types.js';
import { onAbort as whenAborted } from '../../core/on-abort.js';

const WHY: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ENOTFOUND: 'is not a known host name',
  EAI_AGAIN: 'could not be looked up (DNS)',
  EHOSTUNREACH: 'has no route to it',
  ENETUNREACH: 'is on an unreachable network',
  ECONNRESET: 'reset the connection',
};

/** The port a URL connects to: its own, or the scheme's. */
export function portOf(url: URL): number {
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

/**
 * One TCP connection to each target before the load starts, so a target that is down is one
 * clear error (exit 3) at once, rather than a run of connect errors for the whole duration.
 */
export async function reachTargets(targets: readonly LoadTarget[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  await Promise.all(targets.map((t) => reachOne(t, timeoutMs, signal)));
}

function reachOne(t: LoadTarget, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const url = new URL(t.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = portOf(url);
  const address = `${host}:${port}`;
  // An instance whose id is its address (the embedded registry's) is named once, not "a:1 (a:1)".
  const name = t.label && t.label !== t.url && t.label !== address ? `${t.label} (${address})` : address;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve();
    const socket = connect({ host, port });
    const done = (err: OpsError | null) => {
      clearTimeout(timer);
      detach();
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new OpsError('unreachable', `${name} did not accept a connection within ${timeoutMs} ms`, 'check the address and that the server is up, or give a longer --timeout')), timeoutMs);
    // Not aborted yet (checked above), so this cannot run done() before `detach` exists.
    const detach = whenAborted(signal, () => done(null));
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const why = WHY[e.code ?? ''] ?? `failed to connect (${e.code ?? e.message})`;
      done(new OpsError('unreachable', `${name} ${why}`, targetsHint(t)));
    });
  });
}

function targetsHint(t: LoadTarget): string {
  return t.label && t.label !== t.url ? 'check that the instance is up, or leave it out with --instances' : 'check that the server is up and the port is right';
}
