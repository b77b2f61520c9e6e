import { applyHealth, type HealthReport } from '../../core/health.js';
import type { ControllerDeps } from './controller-deps.js';
import { LiveFeed } from './live-feed.js';
import type { LoadedView } from './pane-levels.js';
import { isErrorRow, type BackendErrorRow } from './scoped-rows.js';
import { clamp, currentView, PANE_SUBSYSTEM, visibleRows, withView, type ConsoleState, type PaneId, type PaneRow, type PaneView } from './state.js';

/** A view followed by a push feed is still reloaded this often, in case a change slipped past the feed. */
const LIVE_SAFETY_MS = 60_000;

/**
 * Loads the view on screen through `loadView` (the commands of the table, see pane-levels.ts),
 * keeps the last good rows on error, reports each top-level load to the health model, and follows
 * a view whose backends push (`liveChanges`) instead of polling it.
 */
export class ViewLoader {
  private refreshing = false;
  private refreshAgain = false;
  private readonly live = new LiveFeed();

  constructor(
    private readonly d: Pick<ControllerDeps, 'store' | 'loadView' | 'minRefreshMs' | 'liveChanges' | 'now'>,
    /** The metrics pane refreshes through its own runner. */
    private readonly refreshMetrics: () => Promise<void> | undefined,
  ) {}

  private get s(): ConsoleState {
    return this.d.store.get();
  }

  private set(update: (s: ConsoleState) => ConsoleState): void {
    this.d.store.set(update);
  }

  private setView(pane: PaneId, level: string, update: (v: PaneView) => PaneView): void {
    this.set((s) => withView(s, pane, level, update));
  }

  /** Stops following a push feed (the metrics pane is shown, or the console closes). */
  stopLive(): void {
    this.live.stop();
  }

  /** The periodic refresh: skips views whose data is younger than their minimum interval. */
  tick(): Promise<void> {
    // The metrics pane keeps its own clock (its interval is set in the pane).
    if (this.s.pane === 'metrics') return Promise.resolve();
    const view = currentView(this.s);
    const min = this.live.covers(liveKey(view)) ? LIVE_SAFETY_MS : (this.d.minRefreshMs?.(view) ?? 0);
    if (view.fetchedAt !== null && this.d.now() - view.fetchedAt < min) return Promise.resolve();
    return this.refresh();
  }

  /**
   * Reloads the view on screen, never two loads at once. A request that arrives while one is in
   * flight is coalesced into a single follow-up run, so a pane switch or drill-down loads promptly
   * instead of waiting for the next tick. The last good rows are kept on error.
   */
  async refresh(): Promise<void> {
    if (this.s.pane === 'metrics') return this.refreshMetrics();
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.refreshAgain = false;
        await this.loadCurrentView();
      } while (this.refreshAgain);
    } finally {
      this.refreshing = false;
    }
  }

  private async loadCurrentView(): Promise<void> {
    const pane = this.s.pane;
    const view = currentView(this.s);
    const scope = this.s.scope;
    this.setView(pane, view.level, (v) => ({ ...v, loading: true }));
    try {
      const loaded = await this.d.loadView(view, scope);
      // The namespace changed while this load ran: its rows belong to the old one; load again.
      if (this.s.scope !== scope) {
        this.refreshAgain = true;
        return;
      }
      const { rows, columns, align, spare, scopeKinds, warnings = [] }: Exclude<LoadedView, PaneRow[]> = Array.isArray(loaded) ? { rows: loaded, columns: view.columns } : loaded;
      this.setView(pane, view.level, (v) => {
        // Keep the cursor on the same row (by key) when rows are added or reordered.
        const selectedKey = visibleRows(v)[v.selected]?.key;
        const next = { ...v, rows, columns, align, spare, scopeKinds, warnings, fetchedAt: this.d.now(), error: null, loading: false };
        const shown = visibleRows(next);
        const same = selectedKey === undefined ? -1 : shown.findIndex((r) => r.key === selectedKey);
        return { ...next, selected: same >= 0 ? same : clamp(v.selected, shown.length) };
      });
      this.set((s) => ({ ...s, lastRefresh: this.d.now() }));
      // A top-level listing covers every backend of the subsystem: each one not listed is a red row.
      if (view.level === 'top') {
        const down = rows.filter(isErrorRow).map((r): HealthReport => {
          const { backend, error } = r.data as BackendErrorRow;
          return { subsystem: PANE_SUBSYSTEM[pane], backend, state: 'down', message: error.message };
        });
        this.reportHealth([{ subsystem: PANE_SUBSYSTEM[pane], state: warnings.length > 0 ? 'warning' : 'ok', message: warnings[0] ?? null }, ...down]);
      }
      this.followLive(view);
    } catch (e) {
      if (this.s.scope !== scope) {
        this.refreshAgain = true;
        return;
      }
      const message = (e as Error).message;
      this.setView(pane, view.level, (v) => ({ ...v, error: message, loading: false }));
      // A drill-down that fails (a service gone) says nothing about the backend as a whole.
      if (view.level === 'top') this.reportHealth([{ subsystem: PANE_SUBSYSTEM[pane], state: 'down', message }]);
    }
  }

  /** Records what a check found about backends (a pane load, the background ping, a `status` run). */
  reportHealth(reports: readonly HealthReport[]): void {
    this.set((s) => {
      const health = applyHealth(s.health, reports);
      return health === s.health ? s : { ...s, health };
    });
  }

  /** Follows the view just loaded with its push feed, when it is still the one on screen. */
  private followLive(view: PaneView): void {
    const live = this.d.liveChanges;
    const key = liveKey(view);
    if (!live || liveKey(currentView(this.s)) !== key) return;
    const scope = this.s.scope;
    this.live.follow(
      key,
      (signal) => live(view, signal, scope),
      () => {
        if (liveKey(currentView(this.s)) === key) void this.refresh();
      },
      (on) => this.setView(view.pane, view.level, (v) => ({ ...v, live: on })),
    );
  }
}

/** What a push feed follows: one view of one pane. */
function liveKey(view: Pick<PaneView, 'pane' | 'level'>): string {
  return `${view.pane} ${view.level}`;
}
