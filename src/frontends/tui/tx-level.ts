import type { GlobalTxDetailView, GlobalTxView } from '../../core/transactions.js';
import { PLAIN } from '../../render/style.js';
import { TX_LIST_COLUMNS, txShowView } from '../../render/tx-views.js';
import type { Level } from './pane-levels.js';
import { paneTable } from './pane-table.js';

/** How many transactions the pane reads per refresh; the store's oldest first, like `tx list`. */
const PANE_LIMIT = 500;

/**
 * The transactions pane: `tx list` (stuck and long-running global transactions first) in its CLI
 * columns, and Enter shows what `tx show` shows. Read-only like the commands: Seata's tables are
 * the coordinator's state.
 */
export const txTop: Level = {
  // Reading global_table every 2 s adds load to the coordinator's database for no gain; Seata's
  // retry loops run on second-scale periods anyway.
  minRefreshMs: () => 5_000,
  async load(reads) {
    const rows = await reads.read<GlobalTxView[]>(['tx', 'list', '--limit', String(PANE_LIMIT)]);
    return paneTable(TX_LIST_COLUMNS, rows, (t) => ({
      key: t.xid,
      tone: t.flags.length > 0 ? 'bad' : t.ageMs !== null && t.timeoutMs !== null && t.ageMs > t.timeoutMs / 2 ? 'warn' : 'plain',
      data: t,
    }));
  },
  enter(row) {
    const t = row.data as GlobalTxView;
    return {
      kind: 'detail',
      title: `transaction ${t.xid}`,
      async load(reads) {
        try {
          const d = await reads.read<GlobalTxDetailView>(['tx', 'show', t.xid]);
          return txShowView(d, PLAIN).replace(/\n$/, '').split('\n');
        } catch (e) {
          // Gone since the list was read: it finished, which is news, not a failure.
          if ((e as { kind?: string }).kind === 'not-found') return [`${t.xid} is no longer in the store: it has finished.`];
          throw e;
        }
      },
    };
  },
  actions: [],
};
