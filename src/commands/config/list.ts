import { str } from '../input.js';
import type { CommandSpec } from '../types.js';

export const configList: CommandSpec = {
  path: ['config', 'list'],
  summary: 'List config entries with md5, type and version',
  args: [],
  options: [
    { name: 'group', value: 'group', summary: 'only this group (default: all)', complete: 'group' },
    { name: 'namespace', value: 'ns', summary: 'only this namespace (default: all)', complete: 'namespace' },
    { name: 'filter', value: 'text', summary: 'only data ids containing this text (case-insensitive)' },
  ],
  examples: ['opsdeck config list', 'opsdeck config list --group payments -o json'],
  mutates: false,
  async run(ctx, input) {
    const config = await ctx.session.config();
    return config.list({ namespace: str(input, 'namespace'), group: str(input, 'group'), text: str(input, 'filter') });
  },
};
