import { notFound } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { askEach, coverageOf, listingExitCode, warnFailed } from '../listing.js';
import { BACKEND_OPTION, LOCK_NAME } from './lock-options.js';

export const locksShow = defineCommand({
  path: ['locks', 'show'],
  summary: 'Show who holds a lock, since and until when, its token and who waits',
  args: { name: LOCK_NAME },
  options: { backend: BACKEND_OPTION },
  examples: ['opsdeck locks show billing/nightly-settlement -o json', 'opsdeck locks show deploy/orders --backend redis'],
  mutates: false,
  async run(ctx, { args: { name }, opts }) {
    // Each backend on its own, as `locks list` does: one that is down must not hide a holder
    // elsewhere. With --backend, only that one is connected.
    const session = ctx.session;
    const asked = opts.backend === undefined ? session.lockBackends() : [{ name: opts.backend, open: () => session.lockBackend(opts.backend) }];
    if (asked.length === 0) await session.lockBackend();
    const answers = await askEach(asked, async (locks) => {
      const view = await locks.inspect(name);
      return view ? [view] : [];
    });
    const failed = answers.filter((a) => a.error !== null);
    // One backend asked, or none answered: its error is the answer, as for a single backend.
    if (failed.length === answers.length) throw failed[0]!.error!;
    warnFailed(ctx.warn, answers, 'lock backend', 'asked');
    const listing = { ...coverageOf(answers), locks: answers.flatMap((a) => a.items) };
    // "Not held" would be a guess while a backend could not answer; its error is the truthful result.
    if (listing.locks.length === 0 && failed.length > 0) throw failed[0]!.error!;
    if (listing.locks.length === 0) throw notFound(`lock ${name} is not held`, '"opsdeck locks list" shows the held locks');
    return listing;
  },
  exitCode: listingExitCode,
});
