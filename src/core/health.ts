import type { BackendStatus } from './types.js';

/**
 * One health model for the backends of a profile, shared by the console's status bar, its pane
 * tabs and the `status` command's answers. Every configured backend has one entry; a subsystem
 * without a backend has none and reads as `off` (grey), so a report about it (a pane opened on a
 * profile without a tx backend) can never turn it red.
 */
export type HealthState = 'ok' | 'warning' | 'down' | 'unknown' | 'off';

export interface BackendHealth {
  subsystem: string;
  backend: string;
  state: Exclude<HealthState, 'off'>;
  /** The error (down) or the backend's warning about its state; null when fine. */
  message: string | null;
}

export interface HealthBoard {
  readonly backends: readonly BackendHealth[];
}

/**
 * What one check found: about one backend, or (no `backend`) every backend of the subsystem.
 * `reachable` is what a ping finds: the backend answered, which says nothing about the warnings
 * only a listing sees (Istio's stale sidecars), so it keeps a warning and makes anything else ok.
 */
export interface HealthReport {
  subsystem: string;
  backend?: string;
  state: 'ok' | 'warning' | 'down' | 'reachable';
  message: string | null;
}

/** The board of a profile's configured backends, none checked yet. */
export function healthBoard(configured: ReadonlyArray<{ subsystem: string; backend: string }>): HealthBoard {
  return { backends: configured.map(({ subsystem, backend }) => ({ subsystem, backend, state: 'unknown', message: null })) };
}

/** The board after some checks. Reports about backends that are not configured change nothing. */
export function applyHealth(board: HealthBoard, reports: readonly HealthReport[]): HealthBoard {
  let changed = false;
  const backends = board.backends.map((b) => {
    let next = b;
    for (const r of reports) {
      if (r.subsystem !== b.subsystem || (r.backend !== undefined && r.backend !== b.backend)) continue;
      if (r.state === 'reachable') {
        if (next.state !== 'warning') next = { ...next, state: 'ok', message: null };
      } else next = { ...next, state: r.state, message: r.message };
    }
    if (next.state !== b.state || next.message !== b.message) changed = true;
    return next;
  });
  return changed ? { backends } : board;
}

const RANK: Record<HealthState, number> = { off: 0, ok: 1, unknown: 2, warning: 3, down: 4 };

/** A subsystem's state: the worst of its backends' (`off` when it has none), and that backend's message. */
export function subsystemHealth(board: HealthBoard, subsystem: string): { state: HealthState; message: string | null; backend: string | null } {
  let worst: { state: HealthState; message: string | null; backend: string | null } = { state: 'off', message: null, backend: null };
  for (const b of board.backends) if (b.subsystem === subsystem && RANK[b.state] > RANK[worst.state]) worst = { state: b.state, message: b.message, backend: b.backend };
  return worst;
}

export const HEALTH_MARKS: Readonly<Record<HealthState, string>> = { ok: '✓', warning: '⚠', down: '✗', unknown: '…', off: '–' };

/**
 * A `status` answer as health: reachable (ok, or the warning a pane load found), anything else is
 * down with its error.
 */
export function statusReports(rows: readonly BackendStatus[]): HealthReport[] {
  return rows.map((r) => ({ subsystem: r.subsystem, backend: r.backend, state: r.reachable ? 'reachable' : 'down', message: r.reachable ? null : (r.error ?? 'unreachable') }));
}
