import { usage } from '../../core/errors.js';
import { diffLines, unifiedDiff } from '../../core/line-diff.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { intOpt } from '../option-types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configDiff = defineCommand({
  path: ['config', 'diff'],
  summary: 'Diff two versions of a config (default: the previous version against the latest)',
  args: DATAID_ARG,
  options: {
    from: intOpt({ value: 'version', summary: 'older version (default: the one before --to)', min: 1 }),
    to: intOpt({ value: 'version', summary: 'newer version (default: the latest)', min: 1 }),
    ...CONFIG_OPTIONS,
  },
  examples: ['opsdeck config diff orders.yaml', 'opsdeck config diff orders.yaml --from 3 --to 5'],
  mutates: false,
  async run(ctx, input) {
    const ref = configRef(input);
    const config = requireCapability(requireCapability(await ctx.session.config(), 'history', 'diff config versions'), 'getVersion', 'diff config versions');
    const versions = (await config.history(ref)).map((v) => v.version).sort((a, b) => a - b);
    const to = input.opts.to ?? versions[versions.length - 1]!;
    const from = input.opts.from ?? versions.filter((v) => v < to).pop();
    if (from === undefined) throw usage(`config ${ref.dataId} has no version before ${to} to diff against`, 'pass --from and --to explicitly');
    const [a, b] = await Promise.all([config.getVersion(ref, from), config.getVersion(ref, to)]);
    const lines = diffLines(a.content, b.content);
    return {
      namespace: ref.namespace,
      group: ref.group,
      dataId: ref.dataId,
      from,
      to,
      identical: lines.every((l) => l.op === ' '),
      diff: unifiedDiff(lines),
    };
  },
});
