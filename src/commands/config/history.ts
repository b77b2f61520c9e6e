import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';

export const configHistory = defineCommand({
  path: ['config', 'history'],
  summary: "List a config's history, newest first, saying whether each entry holds the content after its change or before it, and whether older entries are missing",
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config history orders.yaml', 'opsdeck config history orders.yaml -o json'],
  mutates: false,
  async run(ctx, { args, opts }) {
    // The history, not the config, is looked up: it outlives a delete.
    const t = await findConfig(ctx, args.dataId, opts, {
      need: (c) => requireCapability(c, 'history', 'show config history'),
      lookup: (c, ref) => requireCapability(c, 'history', 'show config history').history(ref),
    });
    const { entries, complete, incomplete } = t.found!;
    // Said on stderr too: a reader of the table should not take the oldest row for the creation.
    if (incomplete !== null) ctx.warn(`the history of ${args.dataId} is incomplete: ${incomplete}`);
    return { backend: t.backend.name, ...t.scope, dataId: args.dataId, complete, incomplete, entries };
  },
});
