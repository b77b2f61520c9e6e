import { requireCapability } from '../capability.js';
import { duration, req, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { BACKEND_OPTION, pickLockBackend } from './pick-backend.js';

export const locksAcquire: CommandSpec = {
  path: ['locks', 'acquire'],
  summary: 'Take a lock with a lease; --wait queues for it in FIFO order',
  args: [{ name: 'name', summary: 'lock name', required: true, complete: 'lock' }],
  options: [
    { name: 'ttl', value: 'duration', summary: 'lease length', default: '30s' },
    { name: 'wait', value: 'duration', summary: 'how long to queue if it is held', default: '0s' },
    { name: 'owner', value: 'id', summary: 'holder id (default: user@host:pid, unique to this process)' },
    BACKEND_OPTION,
  ],
  examples: ['opsdeck locks acquire deploy/orders --ttl 10m --owner alice', 'opsdeck locks acquire deploy/orders --wait 30s -o json'],
  mutates: true,
  async run(ctx, input) {
    const backend = requireCapability(await pickLockBackend(ctx, input), 'tryAcquire', 'acquire locks');
    return backend.tryAcquire(req(input, 'name'), {
      owner: str(input, 'owner') ?? ctx.defaultOwner,
      ttlMs: duration(input, 'ttl', '30s')!,
      waitMs: duration(input, 'wait', '0s')!,
      signal: ctx.signal,
    });
  },
};
