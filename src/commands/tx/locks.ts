import { annotateLock } from '../../core/tx-annotate.js';
import { int, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { txListOptions } from './tx-context.js';

export const txLocks: CommandSpec = {
  path: ['tx', 'locks'],
  summary: 'List Seata global row locks, decoded from resourceId^^^table^^^pk, with the holding XID',
  args: [],
  options: [
    { name: 'table', value: 'T', summary: 'only locks on this table' },
    { name: 'xid', value: 'X', summary: 'only locks held by this global transaction' },
    { name: 'limit', value: 'N', summary: 'read at most N locks', default: '500' },
  ],
  examples: ['opsdeck tx locks', 'opsdeck tx locks --table t_order', 'opsdeck tx locks --xid 10.0.0.5:8091:2612345678901234567 -o json'],
  mutates: false,
  async run(ctx, input) {
    const backend = await ctx.session.tx();
    const rows = await backend.listLocks({ tableName: str(input, 'table'), xid: str(input, 'xid'), limit: int(input, 'limit', 1) ?? 500 }, txListOptions(ctx, backend));
    const now = ctx.now();
    return rows.map((l) => annotateLock(l, now));
  },
};
