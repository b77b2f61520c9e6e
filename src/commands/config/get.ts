import type { EntryContent } from '../../render/config-views.js';
import { defineCommand } from '../define-command.js';
import { stringOpt } from '../option-types.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';
import { afterEntry, entryOf, requireVersions } from './versions.js';

const WHAT = 'show the content of a history entry';

export const configGet = defineCommand({
  path: ['config', 'get'],
  summary: "Show a config's content, type, version, md5 and compare-and-set token (--entry: what a history entry left)",
  args: DATAID_ARG,
  options: {
    ...CONFIG_OPTIONS,
    entry: stringOpt({ value: 'id', summary: 'the content right after this history entry (see config history) instead of the current one' }),
  },
  examples: ['opsdeck config get orders.yaml', 'opsdeck config get orders.yaml -o json', 'opsdeck config get orders.yaml --entry 3'],
  mutates: false,
  async run(ctx, { args, opts }) {
    if (opts.entry === undefined) return (await findConfig(ctx, args.dataId, opts)).found!;
    // The history, not the config, is looked up: an entry outlives a delete.
    const t = await findConfig(ctx, args.dataId, opts, { need: (c) => requireVersions(c, WHAT), lookup: async (c, ref) => (await requireVersions(c, WHAT).history(ref)).entries });
    const history = t.found!;
    const entry = entryOf(history, opts.entry, args.dataId);
    const content = await afterEntry(requireVersions(t.backend, WHAT), t.ref, history, entry);
    return { backend: t.backend.name, ...t.scope, dataId: args.dataId, entry: { id: entry.id, op: entry.op, at: entry.at }, content } satisfies EntryContent;
  },
});
