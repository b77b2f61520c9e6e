import type { LoadErrors } from './load-types.js';

export type LoadErrorKind = keyof LoadErrors;

export const noLoadErrors = (): LoadErrors => ({ connect: 0, read: 0, write: 0, timeout: 0, other: 0 });

export function addLoadErrors(into: LoadErrors, more: LoadErrors): LoadErrors {
  into.connect += more.connect;
  into.read += more.read;
  into.write += more.write;
  into.timeout += more.timeout;
  into.other += more.other;
  return into;
}

export const totalLoadErrors = (e: LoadErrors): number => e.connect + e.read + e.write + e.timeout + e.other;

/** A socket error's class: where in the exchange it happened, from the failing system call. */
export function socketErrorKind(err: NodeJS.ErrnoException, connected: boolean): LoadErrorKind {
  if (!connected || err.syscall === 'connect' || err.syscall === 'getaddrinfo') return 'connect';
  if (err.syscall === 'write' || err.code === 'EPIPE') return 'write';
  if (err.syscall === 'read' || err.code === 'ECONNRESET') return 'read';
  return 'other';
}
