import { exitCodeOf, isOpsError, OpsError } from '../../core/errors.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { LockView } from '../../core/types.js';
import type { Session } from '../../session/session.js';
import { str } from '../input.js';
import type { CommandSpec } from '../types.js';

/** One lock backend's listing: its views, or why it could not be listed. */
export interface BackendListing {
  backend: string;
  views: LockView[];
  error: OpsError | null;
}

/**
 * Lists every lock backend of the profile independently, so one that is down (or refuses the
 * login) does not hide the others; the console's locks pane and completion use it too.
 */
export async function listEachLockBackend(session: Session, prefix: string, opts: (backend: string) => ListOptions = () => ({})): Promise<BackendListing[]> {
  const specs = session.backends().filter((b) => b.subsystem === 'locks');
  // No lock backend at all: let the session say so, with its hint.
  if (specs.length === 0) await session.locks();
  return Promise.all(
    specs.map(async ({ spec }): Promise<BackendListing> => {
      const backend = spec.name ?? spec.type;
      try {
        const adapter = await session.adapter('locks', spec);
        if (!adapter.locks) throw new OpsError('unsupported', `backend type ${spec.type} does not provide locks`, 'point this lock entry at a backend that does');
        return { backend, views: await adapter.locks.list(prefix, opts(adapter.locks.name)), error: null };
      } catch (e) {
        return { backend, views: [], error: isOpsError(e) ? e : new OpsError('failed', String((e as Error)?.message ?? e)) };
      }
    }),
  );
}

/** Marks a listing that left out a failed backend, without changing its JSON (an array of locks). */
const FAILED = Symbol('failed lock backends');

export function markPartial<T extends object>(data: T, errors: OpsError[]): T {
  if (errors.length > 0) Object.defineProperty(data, FAILED, { value: errors });
  return data;
}

/** The locks shown are real, but the answer is partial: exit as the failed backend would have. */
export function partialExitCode(data: unknown): number {
  const failed = (data as { [FAILED]?: OpsError[] })[FAILED];
  return failed ? Math.max(...failed.map((e) => exitCodeOf(e.kind))) : 0;
}

export const locksList: CommandSpec = {
  path: ['locks', 'list'],
  summary: 'List held locks (and queued waiters) on every lock backend of the profile',
  args: [],
  options: [{ name: 'prefix', value: 'p', summary: 'only lock names starting with this' }],
  examples: ['opsdeck locks list', 'opsdeck locks list --prefix billing/ -o json'],
  mutates: false,
  async run(ctx, input) {
    const scanned = new Map<string, number>();
    try {
      const listings = await listEachLockBackend(ctx.session, str(input, 'prefix') ?? '', (name) => ({
        signal: ctx.signal,
        onProgress: (n) => {
          scanned.set(name, n);
          ctx.progress(`scanning: ${[...scanned].map(([b, k]) => `${b} ${k} keys`).join(', ')} (Ctrl-C stops)`);
        },
        onIncomplete: (why) => ctx.warn(`${name}: listing incomplete, ${why}; narrow it with --prefix`),
      }));
      const failed = listings.filter((l) => l.error !== null);
      // Ctrl-C, or nothing answered: fail as a whole, as with a single backend.
      if (failed.length > 0 && (ctx.signal.aborted || failed.length === listings.length)) throw failed[0]!.error!;
      for (const f of failed) ctx.warn(`lock backend ${f.backend} was left out: ${f.error!.message}${f.error!.hint ? ` (hint: ${f.error!.hint})` : ''}`);
      return markPartial(listings.flatMap((l) => l.views), failed.map((f) => f.error!));
    } finally {
      ctx.progress(null);
    }
  },
  exitCode: partialExitCode,
};
