import { defineCommand } from '../define-command.js';
import { noted } from '../instances/ref.js';
import { SERVICE_ARG, SERVICE_OPTIONS, findService } from './target.js';

export const servicesShow = defineCommand({
  path: ['services', 'show'],
  summary: "Show a service's instances: id, address, weight, health, traffic, cluster, lease and metadata",
  args: SERVICE_ARG,
  options: SERVICE_OPTIONS,
  examples: ['opsdeck services show orders', 'opsdeck services show orders --namespace staging -o json'],
  mutates: false,
  async run(ctx, { args, opts }) {
    // What the registry's state means for this answer (Eureka's self-preservation) goes to stderr too.
    return noted(ctx, (await findService(ctx, args.service, opts)).found!);
  },
});
