import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, instanceTarget } from './ref.js';

export const instancesHeartbeat = defineCommand({
  path: ['instances', 'heartbeat'],
  summary: 'Renew the heartbeat of an ephemeral instance',
  args: INSTANCE_ARGS,
  options: INSTANCE_OPTIONS,
  examples: ['opsdeck instances heartbeat cart 10.0.0.9:9000'],
  mutates: true,
  async run(ctx, input) {
    const { ref, ip, port } = instanceTarget(input);
    const registry = requireCapability(await ctx.session.registry(), 'heartbeat', 'renew heartbeats');
    await registry.heartbeat(ref, ip, port);
    return { namespace: ref.namespace, group: ref.group, service: ref.service, id: `${ip}:${port}`, heartbeat: new Date(ctx.now()).toISOString() };
  },
});
