import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { durationOpt } from '../option-types.js';
import { explainRefusal } from './explain-refusal.js';
import { BACKEND_OPTION, LOCK_NAME, ownerOption } from './lock-options.js';

export const locksAcquire = defineCommand({
  path: ['locks', 'acquire'],
  summary: 'Take a lock with a lease; --wait queues for it in FIFO order',
  args: { name: LOCK_NAME },
  options: {
    // At most 24 days: every backend holds it (a ZooKeeper session timeout is a 32-bit count of ms).
    ttl: durationOpt({ summary: 'lease length', default: '30s' }),
    wait: durationOpt({ summary: 'how long to queue if it is held', default: '0s', min: '0s' }),
    owner: ownerOption('holder id (default: user@host:pid, unique to this process)'),
    backend: BACKEND_OPTION,
  },
  examples: ['opsdeck locks acquire deploy/orders --ttl 10m --owner alice', 'opsdeck locks acquire deploy/orders --wait 30s -o json'],
  mutates: true,
  async run(ctx, { args, opts }) {
    const backend = requireCapability(await ctx.session.lockBackend(opts.backend), 'tryAcquire', 'acquire locks');
    try {
      return await backend.tryAcquire(args.name, { owner: opts.owner ?? ctx.defaultOwner, ttlMs: opts.ttl, waitMs: opts.wait, signal: ctx.signal });
    } catch (e) {
      throw explainRefusal(e, ctx.now());
    }
  },
});
