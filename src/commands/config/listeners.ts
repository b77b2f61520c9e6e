import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';

const WHAT = 'list config listeners';

export const configListeners = defineCommand({
  path: ['config', 'listeners'],
  summary: 'Which clients listen to a config, and the md5 each holds (a stale md5 is a client that missed a change)',
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config listeners orders.yaml', 'opsdeck config listeners orders.yaml -o json'],
  mutates: false,
  async run(ctx, { args, opts }) {
    const t = await findConfig(ctx, args.dataId, opts, { need: (c) => requireCapability(c, 'listeners', WHAT) });
    const config = requireCapability(t.backend, 'listeners', WHAT);
    const listeners = await config.listeners(t.ref);
    return { backend: config.name, ...t.scope, dataId: args.dataId, md5: t.found!.md5, listeners };
  },
});
