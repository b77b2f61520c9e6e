import { defineCommand } from '../define-command.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';

export const configGet = defineCommand({
  path: ['config', 'get'],
  summary: "Show a config's content, type, version, md5 and compare-and-set token",
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config get orders.yaml', 'opsdeck config get orders.yaml -o json'],
  mutates: false,
  async run(ctx, { args, opts }) {
    return (await findConfig(ctx, args.dataId, opts)).found!;
  },
});
