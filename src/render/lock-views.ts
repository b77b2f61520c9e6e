import { formatDuration } from '../core/duration.js';
import type { LockView } from '../core/types.js';
import { cell } from './generic.js';
import type { Column } from './text-table.js';

/** The columns of `locks list` and `locks show`, in the CLI table and the locks pane alike. */
export function lockColumns(now: number): Array<Column<LockView>> {
  return [
    { header: 'BACKEND', get: (r) => r.backend },
    { header: 'LOCK', get: (r) => r.name, paint: (c, _r, s) => s.cyan(c) },
    // Spare in a pane: the backend's kind and the hold details matter less than who holds what, until when.
    { header: 'KIND', get: (r) => r.kind, spare: true },
    { header: 'HOLDER', get: (r) => r.holder ?? '(free)', paint: (c, r, s) => (r.holder ? c : s.dim(c)) },
    { header: 'TOKEN', get: (r) => cell(r.token), align: 'right' },
    { header: 'HOLDS', get: (r) => cell(r.reentrancy), align: 'right', spare: true },
    { header: 'HELD FOR', get: (r) => (r.acquiredAt ? formatDuration(now - Date.parse(r.acquiredAt)) : '-'), align: 'right', spare: true },
    { header: 'LEASE LEFT', get: (r) => (r.expiresAt ? formatDuration(Date.parse(r.expiresAt) - now) : '-'), align: 'right' },
    { header: 'WAITERS', get: (r) => (r.waiters === null ? '?' : String(r.waiters.length)), align: 'right' },
  ];
}
