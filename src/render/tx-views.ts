import { formatDuration } from '../core/duration.js';
import type { BranchTxView, GlobalTxDetailView, GlobalTxView, RowLockView, TxFlag } from '../core/transactions.js';
import type { Style } from './style.js';
import { textTable, type Column } from './text-table.js';

/* Seata transaction views. Null (not stored, or a column the schema lacks) is "-"; a status code
 * the profile's Seata version has no name for is shown as its number. */

const dash = (v: string | number | null) => (v === null ? '-' : String(v));
const age = (ms: number | null) => (ms === null ? '-' : formatDuration(ms));
const status = (name: string | null, code: number | null) => name ?? dash(code);
const FLAG_TEXT: Record<TxFlag, string> = { 'timed-out': 'timed-out', retrying: 'retrying', failed: 'failed' };
const flags = (f: TxFlag[]) => (f.length === 0 ? '' : f.map((x) => FLAG_TEXT[x]).join(','));

export function txListView(rows: GlobalTxView[], style: Style): string {
  return textTable(rows, TX_LIST_COLUMNS, style);
}

/** The columns of `tx list`, in the CLI table and the transactions pane alike. */
export const TX_LIST_COLUMNS: ReadonlyArray<Column<GlobalTxView>> = [
  { header: 'XID', get: (r) => r.xid, paint: (c, _r, s) => s.cyan(c) },
  { header: 'STATUS', get: (r) => status(r.statusName, r.status), paint: (c, r, s) => (r.statusName === null ? s.yellow(c) : c) },
  { header: 'APP', get: (r) => dash(r.applicationId) },
  { header: 'NAME', get: (r) => dash(r.transactionName) },
  { header: 'AGE', get: (r) => age(r.ageMs), align: 'right' },
  { header: 'IN STATUS', get: (r) => age(r.inStatusMs), align: 'right', spare: true },
  { header: 'TIMEOUT', get: (r) => age(r.timeoutMs), align: 'right' },
  { header: 'BRANCHES', get: (r) => dash(r.branchCount), align: 'right' },
  { header: 'FLAGS', get: (r) => flags(r.flags), paint: (c, r, s) => (r.flags.length > 0 ? s.red(c) : c) },
];

export function txShowView(d: GlobalTxDetailView, style: Style): string {
  const g = d.global;
  const facts: Array<[string, string]> = [
    ['status', `${status(g.statusName, g.status)}${g.statusName !== null ? style.dim(` (${g.status})`) : style.yellow(' (unknown code for this Seata version)')}`],
    ['application', dash(g.applicationId)],
    ['transaction', dash(g.transactionName)],
    ['service group', dash(g.serviceGroup)],
    ['age', `${age(g.ageMs)}${g.beganAt ? style.dim(` (began ${g.beganAt})`) : ''}`],
    ['in status', age(g.inStatusMs)],
    ['timeout', age(g.timeoutMs)],
    ['flags', g.flags.length > 0 ? style.red(flags(g.flags)) : 'none'],
  ];
  const w = Math.max(...facts.map(([k]) => k.length));
  return [
    style.bold(g.xid),
    ...facts.map(([k, v]) => `${style.dim(k.padEnd(w))}  ${v}`),
    '',
    style.bold(`branches (${d.branches.length})`),
    branchTable(d.branches, style),
    '',
    style.bold(`global row locks held (${d.locks.length})`),
    lockTable(d.locks, style, false),
  ].join('\n');
}

export function txLocksView(rows: RowLockView[], style: Style): string {
  return lockTable(rows, style, true);
}

function branchTable(rows: BranchTxView[], style: Style): string {
  return textTable(rows, [
    { header: 'BRANCH', get: (r) => r.branchId },
    { header: 'TYPE', get: (r) => dash(r.branchType) },
    { header: 'STATUS', get: (r) => status(r.statusName, r.status), paint: (c, r, s) => (r.statusName === null ? s.yellow(c) : c) },
    { header: 'RESOURCE', get: (r) => dash(r.resourceId) },
    { header: 'AGE', get: (r) => age(r.ageMs), align: 'right' },
    { header: 'CLIENT', get: (r) => dash(r.clientId) },
  ], style);
}

function lockTable(rows: RowLockView[], style: Style, withXid: boolean): string {
  return textTable(rows, [
    { header: 'TABLE', get: (r) => dash(r.tableName), paint: (c, _r, s) => s.cyan(c) },
    { header: 'PK', get: (r) => dash(r.pk) },
    ...(withXid ? [{ header: 'XID', get: (r: RowLockView) => dash(r.xid) }] : []),
    { header: 'BRANCH', get: (r) => dash(r.branchId) },
    { header: 'RESOURCE', get: (r) => dash(r.resourceId) },
    { header: 'STATUS', get: (r) => status(r.statusName, r.status) },
    { header: 'AGE', get: (r) => age(r.ageMs), align: 'right' },
  ], style);
}
