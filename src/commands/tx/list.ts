import { annotateGlobal, stuckFirst } from '../../core/tx-annotate.js';
import { parseGlobalStatuses } from '../../core/tx-status-names.js';
import { duration, flag, int, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { annotateOptions, txListOptions } from './tx-context.js';

export const txList: CommandSpec = {
  path: ['tx', 'list'],
  summary: 'List Seata global transactions, stuck and long-running first (flags: timed-out, retrying, failed)',
  args: [],
  options: [
    { name: 'status', value: 'S', summary: 'only these statuses: names or codes, comma-separated (e.g. CommitRetrying,5)' },
    { name: 'app', value: 'A', summary: 'only transactions of this application id' },
    { name: 'older-than', value: 'age', summary: 'only transactions that began longer ago than this (e.g. 5m)' },
    { name: 'stuck', summary: 'only flagged transactions' },
    { name: 'limit', value: 'N', summary: 'read at most N transactions, oldest first', default: '200' },
  ],
  examples: ['opsdeck tx list', 'opsdeck tx list --status CommitRetrying,RollbackRetrying --older-than 5m', 'opsdeck tx list --app order-service --stuck -o json'],
  mutates: false,
  async run(ctx, input) {
    const backend = await ctx.session.tx();
    const status = str(input, 'status');
    const olderThan = duration(input, 'older-than');
    const now = ctx.now();
    const rows = await backend.listGlobal(
      {
        statuses: status === undefined ? undefined : parseGlobalStatuses(status, backend.version),
        applicationId: str(input, 'app'),
        beganBefore: olderThan === undefined ? undefined : now - olderThan,
        limit: int(input, 'limit', 1) ?? 200,
      },
      txListOptions(ctx, backend),
    );
    const views = rows.map((r) => annotateGlobal(r, { ...annotateOptions(ctx, backend), now })).sort(stuckFirst);
    return flag(input, 'stuck') ? views.filter((v) => v.flags.length > 0) : views;
  },
};
