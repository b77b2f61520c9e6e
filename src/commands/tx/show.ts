import { defineCommand } from '../define-command.js';
import { arg } from '../arg-types.js';
import { notFound } from '../../core/errors.js';
import type { GlobalTxDetailView } from '../../core/transactions.js';
import { annotateBranch, annotateGlobal, annotateLock } from '../../core/tx-annotate.js';
import { annotateOptions, txListOptions } from './tx-context.js';

export const txShow = defineCommand({
  path: ['tx', 'show'],
  summary: 'Show one Seata global transaction: its branches (resource, type, status, age) and the row locks it holds',
  args: { xid: arg({ summary: 'the global transaction id (ip:port:transactionId)' }) },
  options: {},
  examples: ['opsdeck tx show 10.0.0.5:8091:2612345678901234567', 'opsdeck tx show 10.0.0.5:8091:2612345678901234567 -o json'],
  mutates: false,
  async run(ctx, { args: { xid } }): Promise<GlobalTxDetailView> {
    const backend = await ctx.session.tx();
    const d = await backend.getGlobal(xid, txListOptions(ctx, backend));
    if (d === null) throw notFound(`no global transaction ${xid} in ${backend.name}`, 'it may have finished; "opsdeck tx list" shows the ones the store holds');
    const o = annotateOptions(ctx, backend);
    return { global: annotateGlobal(d.global, o), branches: d.branches.map((b) => annotateBranch(b, o)), locks: d.locks.map((l) => annotateLock(l, o.now)) };
  },
});
