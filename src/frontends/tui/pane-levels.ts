import type { ConsoleReads } from '../console-reads.js';
import type { Scope, ScopeKind } from '../../core/scope.js';
import type { LockListing, LockView } from '../../core/types.js';
import { cell } from '../../render/generic.js';
import { lockColumns } from '../../render/lock-views.js';
import type { Profile } from '../../session/profile-types.js';
import { commandLine } from '../../shell/quote-word.js';
import { configTop, historyLevel } from './config-levels.js';
import { instancesLevel, servicesTop } from './registry-levels.js';
import { paneTable } from './pane-table.js';
import { errorDetail, errorRows, isErrorRow, warningsOf } from './scoped-rows.js';
import { txTop } from './tx-level.js';
import { cachesTop } from './caches-level.js';
import { driftLevel, isDriftLevel } from './drift-level.js';
import type { PaneId, PaneRow, PaneView } from './state.js';

/**
 * What a key on a pane row does. Mutations are always command lines, so history and recordings see
 * them. `confirm` is the pane's own question, for changes whose command does not ask; destructive
 * commands ask themselves when they run.
 */
export type Plan =
  | { kind: 'command'; line: string; confirm: string | null }
  | { kind: 'drill'; level: string; title: string; columns: string[] }
  /** `cols`: the terminal's width, for details that draw charts. */
  | { kind: 'detail'; title: string; load(reads: ConsoleReads, cols?: number): Promise<string[]> }
  /** The config pane's `e`: `address` are the words that name the config on the `config set` line. */
  | { kind: 'edit-config'; backend: string; scope: Scope; dataId: string; address: string[] }
  /** The services → metrics cross-view: the metrics pane with the service's standard queries. */
  | { kind: 'metrics'; service: string };

export interface PaneAction {
  key: string;
  label: string;
  mutates: boolean;
  /** Why the key does nothing on this row (its backend lacks the capability), or null: the footer hides it then. */
  unavailable?(row: PaneRow): string | null;
  /** `marked`: the row marked with `v` on a level that marks (a history entry to diff from). */
  plan(row: PaneRow, me: string, marked?: PaneRow | null): Plan | null;
}

/**
 * Rows, or rows with their columns (a command's CLI columns, with their alignment), what the
 * backends warned about their state (Eureka's self-preservation), and the scope kinds the
 * backends have (whether `n` switches namespaces, even while no row shows one).
 */
export type LoadedView = PaneRow[] | { rows: PaneRow[]; columns: string[]; align?: Array<'left' | 'right'>; spare?: boolean[]; warnings?: string[]; scopeKinds?: ScopeKind[] };

export interface Level {
  /**
   * `scope` is the console's scope in effect (`use NAMESPACE`): the top listings of panes 1 and 2
   * are narrowed to it; drill-downs carry their own scope in their level id. Every load reads
   * through `reads`: the commands of the table, as the CLI runs them.
   */
  load(reads: ConsoleReads, now: number, scope?: Scope): Promise<LoadedView>;
  /** The least time between automatic reloads; listings that SCAN a shared server ask for more. */
  minRefreshMs?(profile: Profile): number;
  /**
   * Yields when the data may have changed, where every backend the view reads pushes (Consul's
   * blocking queries); ends at once where one does not, and the view is polled.
   */
  changes?(reads: ConsoleReads, signal: AbortSignal, scope?: Scope): AsyncIterable<void>;
  enter?(row: PaneRow): Plan | null;
  actions: PaneAction[];
  /** The footer label of `v`, which marks a row for the next action (config history: diff from it); absent: no marking. */
  marks?: string;
}

const locksTop: Level = {
  // Listing Redis locks is a SCAN of the keyspace: every 2 s on a production server is load the
  // on-call engineer did not ask for. The embedded store is cheap to read.
  minRefreshMs: (profile) => (profile.locks.every((l) => l.type === 'embedded') ? 0 : 10_000),
  async load(reads, now) {
    // `locks list` asks each backend on its own: one that is down is a red row naming it, the
    // others still show. Nothing answering fails the command, and the pane keeps its last rows.
    const listing = await reads.read<LockListing>(['locks', 'list']);
    const table = paneTable(lockColumns(now), listing.locks, (l: LockView) => ({
      key: `${l.backend}/${l.name}`,
      tone: l.holder === null ? 'dim' : (l.waiters?.length ?? 0) > 0 ? 'warn' : 'plain',
      data: l,
    }));
    const warnings = warningsOf(listing);
    return { ...table, rows: [...table.rows, ...errorRows(listing.backends, table.columns)], ...(warnings.length > 0 ? { warnings } : {}) };
  },
  enter(row) {
    if (isErrorRow(row)) return errorDetail(row, 'lock backend');
    const l = row.data as LockView;
    return {
      kind: 'detail',
      title: `lock ${l.name}`,
      load: async () => [
        ...Object.entries({ backend: l.backend, kind: l.kind, holder: l.holder, token: l.token, reentrancy: l.reentrancy, acquiredAt: l.acquiredAt, expiresAt: l.expiresAt, ttlMs: l.ttlMs }).map(([k, v]) => `${k.padEnd(11)} ${cell(v)}`),
        '',
        l.waiters === null ? 'waiters    (this store does not record them)' : `waiters    ${l.waiters.length}`,
        ...(l.waiters ?? []).map((w, i) => `  ${i + 1}. ${w.owner}  since ${w.since ?? '?'}  gives up ${w.until ?? '?'}`),
      ],
    };
  },
  actions: [
    {
      key: 'r',
      label: 'release (mine)',
      mutates: true,
      plan: (row, me) => {
        if (isErrorRow(row)) return null;
        const l = row.data as LockView;
        return { kind: 'command', line: commandLine(['locks', 'release', l.name, '--owner', me, '--backend', l.backend]), confirm: null };
      },
    },
    {
      key: 'f',
      label: 'force release',
      mutates: true,
      plan: (row) => {
        if (isErrorRow(row)) return null;
        const l = row.data as LockView;
        if (l.holder === null) return null;
        return {
          kind: 'command',
          line: commandLine(['locks', 'release', l.name, '--force', '--owner', l.holder, '--backend', l.backend]),
          // The command asks itself, naming the token, the lease left and what forcing breaks.
          confirm: null,
        };
      },
    },
  ],
};

// The metrics pane draws its own model (metrics-state.ts, MetricsPane.tsx), not rows.
const metricsTop: Level = {
  load: async () => [],
  actions: [],
};

/** The loader and actions of the view a pane is showing. */
export function levelOf(pane: PaneId, view: Pick<PaneView, 'level'>): Level {
  if (view.level.startsWith('instances:')) return instancesLevel(view.level);
  if (view.level.startsWith('history:')) return historyLevel(view.level);
  if (isDriftLevel(view.level)) return driftLevel(view.level);
  return { services: servicesTop, config: configTop, locks: locksTop, metrics: metricsTop, tx: txTop, caches: cachesTop }[pane];
}

/** The rows of a loaded view, whether it came with its columns or not. */
export function rowsOf(loaded: LoadedView): PaneRow[] {
  return Array.isArray(loaded) ? loaded : loaded.rows;
}
