import type { ConfigVersion } from '../../core/config-center.js';
import { usage } from '../../core/errors.js';
import { diffLines, unifiedDiff } from '../../core/line-diff.js';
import { defineCommand } from '../define-command.js';
import { stringOpt } from '../option-types.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';
import { afterEntry, entryOf, requireVersions } from './versions.js';

const WHAT = 'diff config versions';

export const configDiff = defineCommand({
  path: ['config', 'diff'],
  summary: 'Diff two history entries of a config (default: the newest against the one before), or the current content against a file',
  args: DATAID_ARG,
  options: {
    from: stringOpt({ value: 'id', summary: 'the history entry to start from (default: the one before --to; with --file, the current content)' }),
    to: stringOpt({ value: 'id', summary: 'the history entry to end at (default: the newest)' }),
    file: stringOpt({ value: 'path', summary: 'diff against this file instead of --to' }),
    ...CONFIG_OPTIONS,
  },
  examples: ['opsdeck config diff orders.yaml', 'opsdeck config diff orders.yaml --from 3 --to 5', 'opsdeck config diff orders.yaml --file ./orders.yaml'],
  mutates: false,
  async run(ctx, { args, opts }) {
    const { dataId } = args;
    if (opts.file !== undefined && opts.to !== undefined) throw usage('--file and --to both name what to diff to', 'give one of them');
    // Against a file with no --from: only the current content is needed, and any backend has it.
    if (opts.file !== undefined && opts.from === undefined) {
      const t = await findConfig(ctx, dataId, opts);
      return result(t, 'current', t.found!.content, null, await ctx.readFile(opts.file), opts.file);
    }
    const t = await findConfig(ctx, dataId, opts, { need: (c) => requireVersions(c, WHAT), lookup: async (c, ref) => (await requireVersions(c, WHAT).history(ref)).entries });
    const config = requireVersions(t.backend, WHAT);
    const history = t.found!;
    const text = async (e: ConfigVersion) => (await afterEntry(config, t.ref, history, e)) ?? '';
    const from = opts.from === undefined ? undefined : entryOf(history, opts.from, dataId);
    if (opts.file !== undefined) return result(t, from!.id, await text(from!), null, await ctx.readFile(opts.file), opts.file);
    const to = opts.to === undefined ? history[0]! : entryOf(history, opts.to, dataId);
    // History is newest first: the entry before `to` is the next one in the list.
    const start = from ?? history[history.indexOf(to) + 1];
    if (start === undefined) throw usage(`config ${dataId} has no history entry before ${to.id} to diff against`, 'pass --from and --to, or diff against a file with --file');
    return result(t, start.id, await text(start), to.id, await text(to), null);
  },
});

function result(t: { backend: { name: string }; scope: object; ref: { dataId: string } }, from: string, a: string, to: string | null, b: string, file: string | null) {
  const lines = diffLines(a, b);
  return { backend: t.backend.name, ...t.scope, dataId: t.ref.dataId, from, to, file, identical: lines.every((l) => l.op === ' '), diff: unifiedDiff(lines) };
}
