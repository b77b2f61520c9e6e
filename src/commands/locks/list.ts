import type { ListOptions } from '../../core/subsystems.js';
import type { LockView } from '../../core/types.js';
import type { Session } from '../../session/session.js';
import { defineCommand } from '../define-command.js';
import { askEach, listingExitCode, listProgress, noting, settleListing, type BackendPart } from '../listing.js';
import { stringOpt } from '../option-types.js';

/**
 * Lists every lock backend of the profile independently, each connected on its own, so one that
 * is down (or refuses the login) does not hide the others; the console's locks pane and
 * completion use it too.
 */
export async function listEachLockBackend(session: Session, prefix: string, opts: (backend: string) => ListOptions = () => ({})): Promise<Array<BackendPart<LockView>>> {
  const backends = session.lockBackends();
  // No lock backend at all: let the session say so, with its hint.
  if (backends.length === 0) await session.lockBackend();
  return askEach(backends, (locks, name, stopped) => locks.list(prefix, noting(opts(name), stopped)));
}

export const locksList = defineCommand({
  path: ['locks', 'list'],
  summary: 'List held locks (and queued waiters) on every lock backend of the profile',
  args: {},
  options: { prefix: stringOpt({ value: 'p', summary: 'only lock names starting with this' }) },
  examples: ['opsdeck locks list', 'opsdeck locks list --prefix billing/ -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    try {
      const listings = await listEachLockBackend(ctx.session, opts.prefix ?? '', listProgress(ctx, '--prefix', 'keys'));
      const { coverage, items } = settleListing(ctx, listings, 'lock backend', '--prefix');
      return { ...coverage, locks: items };
    } finally {
      ctx.progress(null);
    }
  },
  exitCode: listingExitCode,
});
