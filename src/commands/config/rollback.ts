import { isOpsError, OpsError, usage } from '../../core/errors.js';
import type { ConfigItem } from '../../core/config-center.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { stringOpt } from '../option-types.js';
import { CAS_OPTIONS, comparing, ifMatchOf } from './cas.js';
import { typeFromDataId } from './content-check.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';
import { afterEntry, entryOf, requireVersions } from './versions.js';

const WHAT = 'roll back config';

export const configRollback = defineCommand({
  path: ['config', 'rollback'],
  summary: 'Publish again what a config held right after an earlier change, compared against the current token',
  args: DATAID_ARG,
  options: {
    to: stringOpt({ value: 'id', summary: 'the history entry to restore (required; see "config history")' }),
    ...CONFIG_OPTIONS,
    ...CAS_OPTIONS,
  },
  examples: ['opsdeck config rollback orders.yaml --to 3'],
  mutates: true,
  async run(ctx, { args, opts }) {
    const { dataId } = args;
    if (opts.to === undefined) throw usage('config rollback needs --to ID', 'find the entry with "opsdeck config history DATAID"');
    const need = (c: Parameters<typeof requireVersions>[0]) => requireCapability(requireVersions(c, WHAT), 'set', WHAT);
    const t = await findConfig(ctx, dataId, opts, { need, lookup: async (c, ref) => (await requireVersions(c, WHAT).history(ref)).entries });
    const config = need(t.backend);
    const history = t.found!;
    const entry = entryOf(history, opts.to, dataId);
    if (entry.op === 'delete') {
      const before = history[history.indexOf(entry) + 1];
      throw usage(`history entry ${entry.id} of ${dataId} is its deletion: it left no content to restore`, before ? `roll back to the entry before it: --to ${before.id}` : 'pick an entry with content from "opsdeck config history"');
    }
    const content = await afterEntry(config, t.ref, history, entry);
    if (content === null) throw new OpsError('failed', `history entry ${entry.id} of ${dataId} holds no content on ${config.name}`, 'pick another entry from "opsdeck config history"');
    // Compared against what is there now, so a change made meanwhile is not silently undone.
    const current = await config.get(t.ref).catch((e: unknown): ConfigItem | null => {
      if (isOpsError(e) && e.kind === 'not-found') return null;
      throw e;
    });
    const ifMatch = ifMatchOf(opts, config) ?? current?.token;
    const type = current?.type ?? typeFromDataId(dataId);
    const item = await comparing(dataId, config.set(t.ref, content, type, ifMatch === undefined ? { signal: ctx.signal } : { ifMatch, signal: ctx.signal }));
    return { ...item, restored: entry.id };
  },
});
