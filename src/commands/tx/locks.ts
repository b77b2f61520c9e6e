import { defineCommand } from '../define-command.js';
import { intOpt, stringOpt } from '../option-types.js';
import { annotateLock } from '../../core/tx-annotate.js';
import { TX_LIMIT_MAX, txListOptions } from './tx-context.js';

export const txLocks = defineCommand({
  path: ['tx', 'locks'],
  summary: 'List Seata global row locks, decoded from resourceId^^^table^^^pk, with the holding XID',
  args: {},
  options: {
    table: stringOpt({ value: 'T', summary: 'only locks on this table' }),
    xid: stringOpt({ value: 'X', summary: 'only locks held by this global transaction' }),
    limit: intOpt({ value: 'N', summary: 'read at most N locks', default: 500, min: 1, max: TX_LIMIT_MAX }),
  },
  examples: ['opsdeck tx locks', 'opsdeck tx locks --table t_order', 'opsdeck tx locks --xid 10.0.0.5:8091:2612345678901234567 -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const backend = await ctx.session.tx();
    const rows = await backend.listLocks({ tableName: opts.table, xid: opts.xid, limit: opts.limit }, txListOptions(ctx, backend));
    const now = ctx.now();
    return rows.map((l) => annotateLock(l, now));
  },
});
