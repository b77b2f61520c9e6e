import { usage } from '../../core/errors.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { durationOpt, flagOpt, keyValueOpt, numberOpt } from '../option-types.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, instanceTarget } from './ref.js';

export const instancesRegister = defineCommand({
  path: ['instances', 'register'],
  summary: 'Register an instance (re-registering updates it and counts as a heartbeat)',
  args: INSTANCE_ARGS,
  options: {
    ...INSTANCE_OPTIONS,
    // Nacos refuses weights outside 0–10000; the same bound everywhere keeps a profile switch safe.
    weight: numberOpt({ value: 'w', summary: 'load-balancing weight', default: '1', min: 0, max: 10_000 }),
    meta: keyValueOpt({ value: 'k=v', summary: 'metadata entry (repeatable)' }),
    ephemeral: flagOpt({ summary: 'needs heartbeats: unhealthy after --ttl, removed after twice it' }),
    ttl: durationOpt({ summary: 'heartbeat TTL of an ephemeral instance', default: '15s' }),
  },
  examples: ['opsdeck instances register orders 10.0.0.5:8080 --weight 2 --meta zone=eu-1', 'opsdeck instances register cart 10.0.0.9:9000 --ephemeral --ttl 15s'],
  mutates: true,
  async run(ctx, input) {
    const { opts, given } = input;
    const { ref, ip, port } = instanceTarget(input);
    if (given.has('ttl') && !opts.ephemeral) throw usage('--ttl applies only with --ephemeral', 'add --ephemeral, or drop --ttl');
    const registry = requireCapability(await ctx.session.registry(), 'register', 'register instances');
    return registry.register(ref, ip, port, { weight: opts.weight, metadata: opts.meta, ephemeral: opts.ephemeral, ttlMs: opts.ttl });
  },
});
