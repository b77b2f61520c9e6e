/**
 * The one error type every layer throws. Adapters map their clients' errors into a kind at their
 * boundary, so exit codes and messages are decided here and nowhere else.
 */
export type ErrorKind =
  | 'usage'
  | 'config'
  | 'not-found'
  | 'conflict'
  | 'read-only'
  | 'failed'
  | 'unsupported'
  | 'unauthorized'
  | 'unreachable'
  | 'timeout'
  /** The backend answered, but unusably: not its protocol, not the expected shape, or over the size cap. */
  | 'bad-answer'
  | 'expectation'
  | 'backend'
  /** A bug: an error no layer mapped. Never a user's mistake, so it gets its own exit code. */
  | 'internal';

export class OpsError extends Error {
  readonly kind: ErrorKind;
  /** What the user can do next; printed after the message on the same line. */
  readonly hint: string | undefined;
  /** Extra machine-readable facts (for example the current holder of a lock). */
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, hint?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'OpsError';
    this.kind = kind;
    this.hint = hint;
    this.details = details;
  }
}

/** Exit codes are part of the scripting contract: see README "Exit codes". */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'usage':
    case 'config':
      return 2;
    case 'unreachable':
    case 'timeout':
    case 'unauthorized':
    case 'bad-answer':
      return 3;
    case 'expectation':
    case 'internal':
      return 4;
    default:
      return 1;
  }
}

export const usage = (message: string, hint?: string) => new OpsError('usage', message, hint);
/** A write whose caller walked away (Ctrl-C) before it started: nothing was sent or written. */
export const cancelledWrite = (what: string) => new OpsError('failed', `${what} was cancelled before it started; nothing was written`, 'run the command again');
export const notFound = (message: string, hint?: string) => new OpsError('not-found', message, hint);
export const conflict = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new OpsError('conflict', message, hint, details);

export function isOpsError(e: unknown): e is OpsError {
  return e instanceof OpsError;
}
