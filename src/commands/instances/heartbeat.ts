import { defineCommand } from '../define-command.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, findInstance } from './ref.js';

export const instancesHeartbeat = defineCommand({
  path: ['instances', 'heartbeat'],
  summary: 'Renew the heartbeat of an ephemeral instance',
  args: INSTANCE_ARGS,
  options: INSTANCE_OPTIONS,
  examples: ['opsdeck instances heartbeat cart 10.0.0.9:9000'],
  mutates: true,
  async run(ctx, input) {
    const t = await findInstance(ctx, input, 'heartbeat', 'renew heartbeats');
    await t.registry.heartbeat(t.ref, t.instance.id, { signal: ctx.signal });
    return { backend: t.registry.name, ...t.scope, service: t.ref.name, id: t.instance.id, heartbeat: new Date(ctx.now()).toISOString() };
  },
});
