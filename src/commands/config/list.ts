import { defineCommand } from '../define-command.js';
import { stringOpt } from '../option-types.js';

export const configList = defineCommand({
  path: ['config', 'list'],
  summary: 'List config entries with md5, type and version',
  args: {},
  options: {
    group: stringOpt({ value: 'group', summary: 'only this group (default: all)', complete: 'group' }),
    namespace: stringOpt({ value: 'ns', summary: 'only this namespace (default: all)', complete: 'namespace' }),
    filter: stringOpt({ value: 'text', summary: 'only data ids containing this text (case-insensitive)' }),
  },
  examples: ['opsdeck config list', 'opsdeck config list --group payments -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const config = await ctx.session.config();
    return config.list({ namespace: opts.namespace, group: opts.group, text: opts.filter });
  },
});
