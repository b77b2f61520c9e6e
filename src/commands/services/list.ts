import type { CommandSpec } from '../types.js';
import { str } from '../input.js';

export const servicesList: CommandSpec = {
  path: ['services', 'list'],
  summary: 'List services with their instance and healthy counts',
  args: [],
  options: [
    { name: 'namespace', value: 'ns', summary: 'only this namespace (default: all)', complete: 'namespace' },
    { name: 'group', value: 'group', summary: 'only this group (default: all)', complete: 'group' },
    { name: 'filter', value: 'text', summary: 'only names containing this text (case-insensitive)' },
  ],
  examples: ['opsdeck services list', 'opsdeck services list --namespace staging -o json'],
  mutates: false,
  async run(ctx, input) {
    const registry = await ctx.session.registry();
    return registry.listServices({ namespace: str(input, 'namespace'), group: str(input, 'group'), text: str(input, 'filter') });
  },
};
