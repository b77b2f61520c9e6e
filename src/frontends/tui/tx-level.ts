import { formatDuration } from '../../core/duration.js';
import type { GlobalTxView } from '../../core/transactions.js';
import { annotateBranch, annotateGlobal, annotateLock, stuckFirst } from '../../core/tx-annotate.js';
import { PLAIN } from '../../render/style.js';
import { txShowView } from '../../render/tx-views.js';
import type { Session } from '../../session/session.js';
import type { Level } from './pane-levels.js';

/** How many transactions the pane reads per refresh; the store's oldest first, like `tx list`. */
const PANE_LIMIT = 500;

const dash = (v: string | number | null) => (v === null ? '-' : String(v));
const age = (ms: number | null) => (ms === null ? '-' : formatDuration(ms));

async function stuckFirstList(session: Session, now: number): Promise<GlobalTxView[]> {
  const backend = await session.tx();
  const rows = await backend.listGlobal({ limit: PANE_LIMIT });
  const o = { version: backend.version, now, retryingThresholdMs: backend.retryingThresholdMs };
  return rows.map((r) => annotateGlobal(r, o)).sort(stuckFirst);
}

/**
 * The transactions pane: stuck and long-running global transactions first (the order `tx list`
 * uses), and Enter shows what `tx show` shows. Read-only like the commands: Seata's tables are the
 * coordinator's state.
 */
export const txTop: Level = {
  // Reading global_table every 2 s adds load to the coordinator's database for no gain; Seata's
  // retry loops run on second-scale periods anyway.
  minRefreshMs: () => 5_000,
  async load(session, now) {
    return (await stuckFirstList(session, now)).map((t) => ({
      key: t.xid,
      cells: [t.xid, t.statusName ?? dash(t.status), dash(t.applicationId), dash(t.transactionName), age(t.ageMs), age(t.timeoutMs), dash(t.branchCount), t.flags.join(',')],
      tone: t.flags.length > 0 ? 'bad' : t.ageMs !== null && t.timeoutMs !== null && t.ageMs > t.timeoutMs / 2 ? 'warn' : 'plain',
      data: t,
    }));
  },
  enter(row) {
    const t = row.data as GlobalTxView;
    return {
      kind: 'detail',
      title: `transaction ${t.xid}`,
      async load(session) {
        const backend = await session.tx();
        const d = await backend.getGlobal(t.xid);
        if (d === null) return [`${t.xid} is no longer in ${backend.name}: it has finished.`];
        const o = { version: backend.version, now: Date.now(), retryingThresholdMs: backend.retryingThresholdMs };
        const text = txShowView({ global: annotateGlobal(d.global, o), branches: d.branches.map((b) => annotateBranch(b, o)), locks: d.locks.map((l) => annotateLock(l, o.now)) }, PLAIN);
        return text.replace(/\n$/, '').split('\n');
      },
    };
  },
  actions: [],
};
