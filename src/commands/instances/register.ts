import { usage } from '../../core/errors.js';
import { duration, flag, keyValues, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, instanceTarget } from './ref.js';
import { requireCapability } from '../capability.js';

export const instancesRegister: CommandSpec = {
  path: ['instances', 'register'],
  summary: 'Register an instance (re-registering updates it and counts as a heartbeat)',
  args: INSTANCE_ARGS,
  options: [
    ...INSTANCE_OPTIONS,
    { name: 'weight', value: 'w', summary: 'load-balancing weight', default: '1' },
    { name: 'meta', value: 'k=v', summary: 'metadata entry (repeatable)', repeatable: true },
    { name: 'ephemeral', summary: 'needs heartbeats: unhealthy after --ttl, removed after twice it' },
    { name: 'ttl', value: 'duration', summary: 'heartbeat TTL of an ephemeral instance', default: '15s' },
  ],
  examples: ['opsdeck instances register orders 10.0.0.5:8080 --weight 2 --meta zone=eu-1', 'opsdeck instances register cart 10.0.0.9:9000 --ephemeral --ttl 15s'],
  mutates: true,
  async run(ctx, input) {
    const { ref, ip, port } = instanceTarget(input);
    const weight = Number(str(input, 'weight') ?? '1');
    if (!Number.isFinite(weight) || weight < 0) throw usage(`--weight must be a number of at least 0, not "${str(input, 'weight')}"`);
    const ephemeral = flag(input, 'ephemeral');
    if (str(input, 'ttl') !== undefined && !ephemeral) throw usage('--ttl applies only with --ephemeral', 'add --ephemeral, or drop --ttl');
    const ttlMs = duration(input, 'ttl', '15s')!;
    if (ttlMs <= 0) throw usage('--ttl must be greater than zero');
    const registry = requireCapability(await ctx.session.registry(), 'register', 'register instances');
    return registry.register(ref, ip, port, { weight, metadata: keyValues(input, 'meta'), ephemeral, ttlMs });
  },
};
