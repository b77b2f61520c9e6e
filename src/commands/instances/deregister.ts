import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, instanceTarget } from './ref.js';

export const instancesDeregister = defineCommand({
  path: ['instances', 'deregister'],
  summary: 'Remove an instance from the registry (asks first)',
  args: INSTANCE_ARGS,
  options: INSTANCE_OPTIONS,
  examples: ['opsdeck instances deregister orders 10.0.0.5:8080 --yes'],
  mutates: true,
  destructive: true,
  async run(ctx, input) {
    const { ref, ip, port } = instanceTarget(input);
    const registry = requireCapability(await ctx.session.registry(), 'deregister', 'deregister instances');
    await ctx.confirm({ message: `Deregister ${ip}:${port} from ${ref.service} (namespace ${ref.namespace}, profile ${ctx.session.profile.name})?` });
    await registry.deregister(ref, ip, port);
    return { namespace: ref.namespace, group: ref.group, service: ref.service, id: `${ip}:${port}`, deregistered: true };
  },
});
