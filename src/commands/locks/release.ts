import { notFound, OpsError } from '../../core/errors.js';
import { formatDuration } from '../../core/duration.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { flagOpt } from '../option-types.js';
import { explainRefusal } from './explain-refusal.js';
import { BACKEND_OPTION, LOCK_NAME, ownerOption } from './lock-options.js';

export const locksRelease = defineCommand({
  path: ['locks', 'release'],
  summary: 'Release a lock as its owner; --force releases whoever holds it (asks first)',
  args: { name: LOCK_NAME },
  options: {
    owner: ownerOption('release as this holder (with --force: only if this is the holder)'),
    force: flagOpt({ summary: 'release even though you are not the holder' }),
    backend: BACKEND_OPTION,
  },
  examples: ['opsdeck locks release deploy/orders --owner alice', 'opsdeck locks release deploy/orders --force --yes'],
  mutates: true,
  async run(ctx, { args: { name }, opts }) {
    const backend = await ctx.session.lockBackend(opts.backend);
    try {
      if (!opts.force) return await requireCapability(backend, 'release', 'release locks').release(name, opts.owner ?? ctx.defaultOwner);
      const forcing = requireCapability(backend, 'forceRelease', 'force-release locks');
      const seen = await backend.inspect(name);
      if (!seen || seen.holder === null) throw notFound(`lock ${name} is not held`, 'nothing to release');
      const owner = opts.owner;
      // Said here, before any confirmation: the store would refuse too, but as "changed hands", which
      // reads as if the lock had been the named owner's.
      if (owner !== undefined && owner !== seen.holder) {
        throw new OpsError('conflict', `lock ${name} is held by ${seen.holder}, not ${owner}; nothing was released`, `drop --owner to force-release whoever holds it, or check with "opsdeck locks show ${name}"`);
      }
      // With --owner, forcing is scoped to that holder: a safe way to script "free it if X still has it".
      const expected = { holder: owner ?? seen.holder, token: seen.token };
      const left = seen.expiresAt ? `, lease ends in ${formatDuration(Date.parse(seen.expiresAt) - ctx.now())}` : '';
      const impact = backend.forceImpact?.(seen) ?? null;
      const consequence = impact?.warning ?? "The holder's process keeps running and may still think it holds the lock.";
      await ctx.confirm({
        message: `Force-release ${name} held by ${seen.holder} (token ${seen.token ?? '-'}${left}) on profile ${ctx.session.profile.name}? ${consequence}`,
        ...(impact?.typeToConfirm === undefined ? {} : { typeToConfirm: impact.typeToConfirm }),
      });
      return await forcing.forceRelease(name, expected);
    } catch (e) {
      throw explainRefusal(e, ctx.now());
    }
  },
});
