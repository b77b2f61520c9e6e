import { defineCommand } from '../define-command.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configGet = defineCommand({
  path: ['config', 'get'],
  summary: "Show a config's content, md5, type and version",
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config get orders.yaml', 'opsdeck config get orders.yaml -o json'],
  mutates: false,
  async run(ctx, input) {
    return (await ctx.session.config()).get(configRef(input));
  },
});
