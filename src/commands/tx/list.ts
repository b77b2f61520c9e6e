import { defineCommand } from '../define-command.js';
import { durationOpt, flagOpt, intOpt, stringOpt } from '../option-types.js';
import { annotateGlobal, stuckFirst } from '../../core/tx-annotate.js';
import { parseGlobalStatuses } from '../../core/tx-status-names.js';
import { TX_LIMIT_MAX, annotateOptions, txListOptions } from './tx-context.js';

export const txList = defineCommand({
  path: ['tx', 'list'],
  summary: 'List Seata global transactions, stuck and long-running first (flags: timed-out, retrying, failed)',
  args: {},
  options: {
    status: stringOpt({ value: 'S', summary: 'only these statuses: names or codes, comma-separated (e.g. CommitRetrying,5)' }),
    app: stringOpt({ value: 'A', summary: 'only transactions of this application id' }),
    // Reaching back a century is past any store's history and inside the range of dates.
    'older-than': durationOpt({ value: 'age', summary: 'only transactions that began longer ago than this (e.g. 5m)', max: '36500d' }),
    stuck: flagOpt({ summary: 'only flagged transactions' }),
    limit: intOpt({ value: 'N', summary: 'read at most N transactions, oldest first', default: 200, min: 1, max: TX_LIMIT_MAX }),
  },
  examples: ['opsdeck tx list', 'opsdeck tx list --status CommitRetrying,RollbackRetrying --older-than 5m', 'opsdeck tx list --app order-service --stuck -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const backend = await ctx.session.tx();
    const { status, 'older-than': olderThan } = opts;
    const now = ctx.now();
    const rows = await backend.listGlobal(
      {
        statuses: status === undefined ? undefined : parseGlobalStatuses(status, backend.version),
        applicationId: opts.app,
        beganBefore: olderThan === undefined ? undefined : now - olderThan,
        limit: opts.limit,
      },
      txListOptions(ctx, backend),
    );
    const views = rows.map((r) => annotateGlobal(r, { ...annotateOptions(ctx, backend), now })).sort(stuckFirst);
    return opts.stuck ? views.filter((v) => v.flags.length > 0) : views;
  },
});
