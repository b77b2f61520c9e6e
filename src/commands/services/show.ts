import type { CommandSpec } from '../types.js';
import { GROUP, NAMESPACE, req, str, DEFAULT_GROUP, DEFAULT_NAMESPACE } from '../input.js';

export const servicesShow: CommandSpec = {
  path: ['services', 'show'],
  summary: "Show a service's instances: address, weight, health, traffic state and metadata",
  args: [{ name: 'service', summary: 'service name', required: true, complete: 'service' }],
  options: [NAMESPACE, GROUP],
  examples: ['opsdeck services show orders', 'opsdeck services show orders --namespace staging -o json'],
  mutates: false,
  async run(ctx, input) {
    const registry = await ctx.session.registry();
    return registry.getService({
      namespace: str(input, 'namespace') ?? DEFAULT_NAMESPACE,
      group: str(input, 'group') ?? DEFAULT_GROUP,
      service: req(input, 'service'),
    });
  },
};
