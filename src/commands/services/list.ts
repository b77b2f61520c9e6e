import { defineCommand } from '../define-command.js';
import { stringOpt } from '../option-types.js';

export const servicesList = defineCommand({
  path: ['services', 'list'],
  summary: 'List services with their instance and healthy counts',
  args: {},
  options: {
    namespace: stringOpt({ value: 'ns', summary: 'only this namespace (default: all)', complete: 'namespace' }),
    group: stringOpt({ value: 'group', summary: 'only this group (default: all)', complete: 'group' }),
    filter: stringOpt({ value: 'text', summary: 'only names containing this text (case-insensitive)' }),
  },
  examples: ['opsdeck services list', 'opsdeck services list --namespace staging -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const registry = await ctx.session.registry();
    return registry.listServices({ namespace: opts.namespace, group: opts.group, text: opts.filter });
  },
});
