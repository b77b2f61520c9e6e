import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configHistory = defineCommand({
  path: ['config', 'history'],
  summary: "List a config's versions, newest first",
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config history orders.yaml'],
  mutates: false,
  async run(ctx, input) {
    return requireCapability(await ctx.session.config(), 'history', 'show config history').history(configRef(input));
  },
});
