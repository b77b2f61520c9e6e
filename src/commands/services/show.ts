import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { GROUP, NAMESPACE } from '../input.js';

export const servicesShow = defineCommand({
  path: ['services', 'show'],
  summary: "Show a service's instances: address, weight, health, traffic state and metadata",
  args: { service: arg({ summary: 'service name', complete: 'service' }) },
  options: { namespace: NAMESPACE, group: GROUP },
  examples: ['opsdeck services show orders', 'opsdeck services show orders --namespace staging -o json'],
  mutates: false,
  async run(ctx, { args, opts }) {
    const registry = await ctx.session.registry();
    return registry.getService({ namespace: opts.namespace, group: opts.group, service: args.service });
  },
});
