import { exitCodeOf, isOpsError, OpsError, type ErrorKind } from '../core/errors.js';
import type { ListOptions } from '../core/subsystems.js';
import type { Coverage, ListStop } from '../core/types.js';
import type { Ctx } from './types.js';

/**
 * Listings over every backend of a profile's list subsystem (locks, registries, config centres):
 * each backend is connected and asked on its own, so one that is down (or refuses the login) is
 * one incomplete part of the answer, never the whole answer, and the JSON says which.
 */

/** One backend's part of a listing: what it gave, how far it got, and why it failed when it did. */
export interface BackendPart<T> {
  backend: string;
  items: T[];
  error: OpsError | null;
  complete: boolean;
  stoppedBy: ListStop;
  /** What the backend said about its own state while listing (Eureka's self-preservation). */
  warnings: string[];
}

/** Asks each backend on its own; a failure becomes that backend's incomplete part, never the whole answer's. */
export function askEach<B, T>(
  backends: ReadonlyArray<{ name: string; open(): Promise<B> }>,
  ask: (backend: B, name: string, stopped: (why: Exclude<ListStop, 'done'>) => void, warn: (message: string) => void) => Promise<T[]>,
): Promise<Array<BackendPart<T>>> {
  return Promise.all(
    backends.map(async ({ name, open }): Promise<BackendPart<T>> => {
      let stop: ListStop = 'done';
      const warnings: string[] = [];
      const stopped = (why: Exclude<ListStop, 'done'>) => {
        if (stop === 'done') stop = why;
      };
      const warn = (message: string) => {
        if (!warnings.includes(message)) warnings.push(message);
      };
      try {
        const items = await ask(await open(), name, stopped, warn);
        return { backend: name, items, error: null, complete: stop === 'done', stoppedBy: stop, warnings };
      } catch (e) {
        const error = isOpsError(e) ? e : new OpsError('failed', String((e as Error)?.message ?? e));
        return { backend: name, items: [], error, complete: false, stoppedBy: stopOf(error.kind), warnings };
      }
    }),
  );
}

/**
 * The options each backend of a listing command gets: the command's signal, a progress line
 * counting what every backend has looked at so far, and a warning when a bound cuts one short.
 */
export function listProgress(ctx: Pick<Ctx, 'signal' | 'warn' | 'progress'>, narrower: string, unit: string): (backend: string) => ListOptions {
  const scanned = new Map<string, number>();
  return (name) => ({
    signal: ctx.signal,
    onProgress: (n) => {
      scanned.set(name, n);
      ctx.progress(`scanning: ${[...scanned].map(([b, k]) => `${b} ${k} ${unit}`).join(', ')} (Ctrl-C stops)`);
    },
    onIncomplete: (why) => ctx.warn(`${name}: listing incomplete, ${why}; narrow it with ${narrower}`),
  });
}

/**
 * `ListOptions` for one backend that also tell its part when a bound or a piece of it stopped the
 * listing, and (given `warn`) keep the backend's warnings with its part.
 */
export function noting(given: ListOptions, stopped: (why: Exclude<ListStop, 'done'>) => void, warn?: (message: string) => void): ListOptions {
  return {
    ...given,
    onIncomplete: (why, stoppedBy) => {
      stopped(stoppedBy);
      given.onIncomplete?.(why, stoppedBy);
    },
    ...(warn ? { onWarning: warn } : {}),
  };
}

function stopOf(kind: ErrorKind): ListStop {
  if (kind === 'unreachable' || kind === 'timeout' || kind === 'unauthorized') return kind;
  if (kind === 'usage' || kind === 'config') return 'misconfigured';
  return 'error';
}

/** Whether the parts are the whole answer, and each backend's part, for the JSON of a listing. */
export function coverageOf(parts: ReadonlyArray<BackendPart<unknown>>): Coverage {
  const first = parts.find((p) => !p.complete);
  return {
    complete: first === undefined,
    stoppedBy: first?.stoppedBy ?? 'done',
    // warnings appear only where a backend gave some, so listings of backends that never warn keep their shape.
    backends: parts.map((p) => ({ backend: p.backend, complete: p.complete, stoppedBy: p.stoppedBy, error: p.error?.message ?? null, ...(p.error?.hint ? { hint: p.error.hint } : {}), ...(p.warnings.length > 0 ? { warnings: p.warnings } : {}) })),
  };
}

/** The rows shown are real, but a backend failed: exit as it would have (3 when it is down). A bound reached is not a failure. */
export function listingExitCode(data: unknown): number {
  const failed = (data as Coverage).backends.filter((b) => b.error !== null);
  return Math.max(0, ...failed.map((b) => exitCodeOf(KIND_OF_STOP[b.stoppedBy])));
}

const KIND_OF_STOP: Record<ListStop, ErrorKind> = {
  done: 'failed',
  limit: 'failed',
  time: 'failed',
  unreachable: 'unreachable',
  timeout: 'timeout',
  unauthorized: 'unauthorized',
  misconfigured: 'config',
  error: 'failed',
};

/** Warns once per backend that gave nothing; `noun` names the subsystem ("lock backend"), `verb` what was not done. */
export function warnFailed(warn: (message: string) => void, parts: ReadonlyArray<BackendPart<unknown>>, noun: string, verb: 'listed' | 'asked'): void {
  for (const f of parts) {
    if (f.error) warn(`${noun} ${f.backend} was ${verb === 'listed' ? 'left out' : 'not asked'}: ${f.error.message}${f.error.hint ? ` (hint: ${f.error.hint})` : ''}`);
  }
}

/**
 * What a listing command does with the parts: Ctrl-C cancels it as a whole, nothing answering
 * fails it as a whole (as with a single backend), and otherwise each failed backend is a warning
 * and the result says how complete it is. `narrower` names the flag that narrows the next try.
 */
export function settleListing<T>(ctx: Pick<Ctx, 'signal' | 'warn'>, parts: Array<BackendPart<T>>, noun: string, narrower: string): { coverage: Coverage; items: T[] } {
  const failed = parts.filter((p) => p.error !== null);
  // Ctrl-C stops the whole listing; the flag that narrows the next one is ours to name.
  if (ctx.signal.aborted && failed.length > 0) throw new OpsError('failed', 'the listing was cancelled; nothing was changed', `run it again, narrower with ${narrower}`);
  if (failed.length > 0 && failed.length === parts.length) throw failed[0]!.error!;
  warnFailed(ctx.warn, parts, noun, 'listed');
  for (const p of parts) for (const w of p.warnings) ctx.warn(`${p.backend}: ${w}`);
  return { coverage: coverageOf(parts), items: parts.flatMap((p) => p.items) };
}
