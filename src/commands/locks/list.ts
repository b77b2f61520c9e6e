import { exitCodeOf, isOpsError, OpsError, type ErrorKind } from '../../core/errors.js';
import type { ListOptions, LockBackend } from '../../core/subsystems.js';
import type { LockListing, LockListStop, LockView } from '../../core/types.js';
import type { Session } from '../../session/session.js';
import { defineCommand } from '../define-command.js';
import { stringOpt } from '../option-types.js';

/** One lock backend's listing: its views, how far it got, and why it failed when it did. */
export interface BackendListing {
  backend: string;
  views: LockView[];
  error: OpsError | null;
  complete: boolean;
  stoppedBy: LockListStop;
}

/**
 * Lists every lock backend of the profile independently, each connected on its own, so one that
 * is down (or refuses the login) does not hide the others; the console's locks pane and
 * completion use it too.
 */
export async function listEachLockBackend(session: Session, prefix: string, opts: (backend: string) => ListOptions = () => ({})): Promise<BackendListing[]> {
  const backends = session.lockBackends();
  // No lock backend at all: let the session say so, with its hint.
  if (backends.length === 0) await session.lockBackend();
  return askEach(backends, (locks, name, stopped) => {
    const given = opts(name);
    return locks.list(prefix, {
      ...given,
      onIncomplete: (why, stoppedBy) => {
        stopped(stoppedBy);
        given.onIncomplete?.(why, stoppedBy);
      },
    });
  });
}

/** Asks each backend on its own; a failure becomes that backend's incomplete part, never the whole answer's. */
export function askEach(
  backends: ReadonlyArray<{ name: string; open(): Promise<LockBackend> }>,
  ask: (locks: LockBackend, name: string, stopped: (why: Exclude<LockListStop, 'done'>) => void) => Promise<LockView[]>,
): Promise<BackendListing[]> {
  return Promise.all(
    backends.map(async ({ name, open }): Promise<BackendListing> => {
      let stop: LockListStop = 'done';
      try {
        const views = await ask(await open(), name, (why) => {
          if (stop === 'done') stop = why;
        });
        return { backend: name, views, error: null, complete: stop === 'done', stoppedBy: stop };
      } catch (e) {
        const error = isOpsError(e) ? e : new OpsError('failed', String((e as Error)?.message ?? e));
        return { backend: name, views: [], error, complete: false, stoppedBy: stopOf(error.kind) };
      }
    }),
  );
}

function stopOf(kind: ErrorKind): LockListStop {
  if (kind === 'unreachable' || kind === 'timeout' || kind === 'unauthorized') return kind;
  if (kind === 'usage' || kind === 'config') return 'misconfigured';
  return 'error';
}

/** The JSON of a listing: the locks found and, per backend, whether its part is complete. */
export function lockListing(listings: readonly BackendListing[], locks: LockView[]): LockListing {
  const first = listings.find((l) => !l.complete);
  return {
    complete: first === undefined,
    stoppedBy: first?.stoppedBy ?? 'done',
    backends: listings.map((l) => ({ backend: l.backend, complete: l.complete, stoppedBy: l.stoppedBy, error: l.error?.message ?? null })),
    locks,
  };
}

/** The locks shown are real, but a backend failed: exit as it would have (3 when it is down). A bound reached is not a failure. */
export function listingExitCode(data: unknown): number {
  const failed = (data as LockListing).backends.filter((b) => b.error !== null);
  return Math.max(0, ...failed.map((b) => exitCodeOf(KIND_OF_STOP[b.stoppedBy])));
}

const KIND_OF_STOP: Record<LockListStop, ErrorKind> = {
  done: 'failed',
  limit: 'failed',
  time: 'failed',
  unreachable: 'unreachable',
  timeout: 'timeout',
  unauthorized: 'unauthorized',
  misconfigured: 'config',
  error: 'failed',
};

/** Warns once per backend that gave nothing; `verb` says what was not done ("listed", "asked"). */
export function warnFailed(warn: (message: string) => void, listings: readonly BackendListing[], verb: string): void {
  for (const f of listings) {
    if (f.error) warn(`lock backend ${f.backend} was ${verb === 'listed' ? 'left out' : 'not asked'}: ${f.error.message}${f.error.hint ? ` (hint: ${f.error.hint})` : ''}`);
  }
}

export const locksList = defineCommand({
  path: ['locks', 'list'],
  summary: 'List held locks (and queued waiters) on every lock backend of the profile',
  args: {},
  options: { prefix: stringOpt({ value: 'p', summary: 'only lock names starting with this' }) },
  examples: ['opsdeck locks list', 'opsdeck locks list --prefix billing/ -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const scanned = new Map<string, number>();
    try {
      const listings = await listEachLockBackend(ctx.session, opts.prefix ?? '', (name) => ({
        signal: ctx.signal,
        onProgress: (n) => {
          scanned.set(name, n);
          ctx.progress(`scanning: ${[...scanned].map(([b, k]) => `${b} ${k} keys`).join(', ')} (Ctrl-C stops)`);
        },
        onIncomplete: (why) => ctx.warn(`${name}: listing incomplete, ${why}; narrow it with --prefix`),
      }));
      const failed = listings.filter((l) => l.error !== null);
      // Ctrl-C stops the whole listing; the flag that narrows the next one is ours to name.
      if (ctx.signal.aborted && failed.length > 0) throw new OpsError('failed', 'the listing was cancelled; nothing was changed', 'run it again, narrower with --prefix');
      // Nothing answered: fail as a whole, as with a single backend.
      if (failed.length > 0 && failed.length === listings.length) throw failed[0]!.error!;
      warnFailed(ctx.warn, listings, 'listed');
      return lockListing(listings, listings.flatMap((l) => l.views));
    } finally {
      ctx.progress(null);
    }
  },
  exitCode: listingExitCode,
});
