import type { WriteNote } from '../../core/registry.js';
import { describeScope } from '../../core/scope.js';
import { defineCommand } from '../define-command.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, findInstance, noted } from './ref.js';

export const instancesDeregister = defineCommand({
  path: ['instances', 'deregister'],
  summary: 'Remove an instance from the registry (asks first)',
  args: INSTANCE_ARGS,
  options: INSTANCE_OPTIONS,
  examples: ['opsdeck instances deregister orders 10.0.0.5:8080 --yes'],
  mutates: true,
  destructive: true,
  async run(ctx, input) {
    const t = await findInstance(ctx, input, 'deregister', 'deregister instances');
    const where = [t.registry.name, describeScope(t.scope)].filter(Boolean).join(', ');
    const address = `${t.instance.ip}:${t.instance.port}`;
    // What the backend cannot promise (an instance that registers itself comes back) is said before the user agrees.
    const warning = t.registry.deregisterWarning?.(t.instance) ?? null;
    await ctx.confirm({ message: `Deregister ${t.instance.id}${address === t.instance.id ? '' : ` (${address})`} from ${t.ref.name} (${where}, profile ${ctx.session.profile.name})?${warning === null ? '' : ` ${warning}`}` });
    const note: WriteNote = (await t.registry.deregister(t.ref, t.instance.id, { signal: ctx.signal })) ?? {};
    const result = { backend: t.registry.name, ...t.scope, service: t.ref.name, id: t.instance.id, deregistered: true, ...note };
    return noted(ctx, result);
  },
});
