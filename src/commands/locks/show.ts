import { isOpsError, notFound, OpsError } from '../../core/errors.js';
import type { LockView } from '../../core/types.js';
import { req } from '../input.js';
import type { CommandSpec } from '../types.js';
import { markPartial, partialExitCode } from './list.js';

export const locksShow: CommandSpec = {
  path: ['locks', 'show'],
  summary: 'Show who holds a lock, since and until when, its token and who waits',
  args: [{ name: 'name', summary: 'lock name', required: true, complete: 'lock' }],
  options: [],
  examples: ['opsdeck locks show billing/nightly-settlement -o json'],
  mutates: false,
  async run(ctx, input) {
    const name = req(input, 'name');
    const backends = await ctx.session.locks();
    // Each backend on its own, as `locks list` does: one that is down must not hide a holder elsewhere.
    const settled = await Promise.allSettled(backends.map((b) => b.inspect(name)));
    const found: LockView[] = [];
    const failed: Array<{ backend: string; error: OpsError }> = [];
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        if (r.value !== null) found.push(r.value);
      } else {
        failed.push({ backend: backends[i]!.name, error: isOpsError(r.reason) ? r.reason : new OpsError('failed', String((r.reason as Error)?.message ?? r.reason)) });
      }
    });
    for (const f of failed) ctx.warn(`lock backend ${f.backend} was not asked: ${f.error.message}${f.error.hint ? ` (hint: ${f.error.hint})` : ''}`);
    // "Not held" would be a guess while a backend could not answer; its error is the truthful result.
    if (found.length === 0 && failed.length > 0) throw failed[0]!.error;
    if (found.length === 0) throw notFound(`lock ${name} is not held`, '"opsdeck locks list" shows the held locks');
    return markPartial(found, failed.map((f) => f.error));
  },
  exitCode: partialExitCode,
};
