import { usage } from '../../core/errors.js';
import type { RegisterRequest } from '../../core/registry.js';
import { endpointArg } from '../arg-types.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { durationOpt, flagOpt, keyValueOpt, stringOpt } from '../option-types.js';
import { SERVICE_ARG, findService } from '../services/target.js';
import { INSTANCE_OPTIONS, noted } from './ref.js';
import { WEIGHT_OPT } from './weight.js';

export const instancesRegister = defineCommand({
  path: ['instances', 'register'],
  summary: 'Register an instance (re-registering updates it and counts as a heartbeat)',
  args: { ...SERVICE_ARG, address: endpointArg({ summary: 'instance address as IP:PORT' }) },
  options: {
    ...INSTANCE_OPTIONS,
    weight: WEIGHT_OPT,
    meta: keyValueOpt({ value: 'k=v', summary: 'metadata entry (repeatable)' }),
    ephemeral: flagOpt({ summary: "lives by heartbeats: critical after --ttl, removed when the registry's lease ends" }),
    ttl: durationOpt({ summary: 'heartbeat TTL of an ephemeral instance, where the registry takes one (Nacos sets its own)', default: '15s' }),
    cluster: stringOpt({ value: 'name', summary: 'the cluster inside the service, where the registry has clusters' }),
  },
  examples: ['opsdeck instances register orders 10.0.0.5:8080 --weight 2 --meta zone=eu-1', 'opsdeck instances register cart 10.0.0.9:9000 --ephemeral --ttl 15s'],
  mutates: true,
  async run(ctx, { args, opts, given }) {
    if (given.has('ttl') && !opts.ephemeral) throw usage('--ttl applies only with --ephemeral', 'add --ephemeral, or drop --ttl');
    const t = await findService(ctx, args.service, opts, { creating: true, need: (r) => requireCapability(r, 'register', 'register instances') });
    const registry = requireCapability(t.backend, 'register', 'register instances');
    // A weight is sent only when given: a registry without weights (Eureka) refuses one, and the others default to 1.
    const req: RegisterRequest = { ...args.address, ...(given.has('weight') ? { weight: opts.weight } : {}), metadata: opts.meta, ephemeral: opts.ephemeral };
    // A registry that sets leases itself (Nacos) refuses a TTL: only one the user gave is sent there.
    if (opts.ephemeral && (registry.leaseTtl === 'per-instance' || given.has('ttl'))) req.ttlMs = opts.ttl;
    if (opts.cluster !== undefined) req.cluster = opts.cluster;
    return noted(ctx, await registry.register(t.ref, req, { signal: ctx.signal }));
  },
});
