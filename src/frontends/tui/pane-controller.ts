import { record } from '../../shell/history.js';
import { lineOf } from '../../shell/line-editor.js';
import type { ConsoleHost } from './console-host.js';
import { ConsolePart } from './console-part.js';
import type { ControllerDeps } from './controller-deps.js';
import { actionFor } from './key-bindings.js';
import type { KeyEvent } from './keys.js';
import { panePage } from './layout.js';
import type { MetricsController } from './metrics-controller.js';
import { levelOf, type Plan } from './pane-levels.js';
import { nextSort, reverseSort } from './row-sort.js';
import { clamp, currentView, hasNamespaces, PANES, visibleRows, withSort, withView, type PaneId, type PaneView } from './state.js';
import type { ViewLoader } from './view-loader.js';

/**
 * The panes: moving between them and through their rows (key table context `pane`), the filter
 * (`filter`), drill-downs, and each view's own keys (`level`, from pane-levels.ts), which become
 * plans: a drill-down, a detail view, the metrics pane, the config editor, or a command line run
 * like a typed one, so it lands in history and recordings.
 */
export class PaneController extends ConsolePart {
  constructor(
    private readonly d: Pick<ControllerDeps, 'store' | 'owner' | 'runLine' | 'loadDetail' | 'editConfig' | 'saveHistory' | 'metrics'>,
    private readonly host: ConsoleHost,
    private readonly metrics: MetricsController,
    private readonly views: ViewLoader,
  ) {
    super(d.store);
  }

  /** A key while a pane has focus: the metrics pane's own first, then the `pane` bindings, then the view's own keys. */
  key(ev: KeyEvent): void {
    const s = this.s;
    const view = currentView(s);
    const rows = visibleRows(view);
    if (ev.kind === 'paste') return;
    if (s.pane === 'metrics' && this.metrics.key(ev)) return;
    const row = rows[view.selected];
    const level = levelOf(s.pane, view);
    const action = actionFor(ev, ['pane']);
    switch (action) {
      case 'pane-jump':
        return this.switchPane(PANES[Number(ev.kind === 'char' ? ev.text : 0) - 1]!);
      case 'pane-next':
        return this.switchPane(PANES[(PANES.indexOf(s.pane) + 1) % PANES.length]!);
      case 'pane-prev':
        return this.switchPane(PANES[(PANES.indexOf(s.pane) + PANES.length - 1) % PANES.length]!);
      case 'row-down':
        return this.select(view.selected + 1, rows.length);
      case 'row-up':
        return this.select(view.selected - 1, rows.length);
      case 'row-first':
        return this.select(0, rows.length);
      case 'row-last':
        return this.select(rows.length - 1, rows.length);
      case 'row-page-down':
        return this.select(view.selected + panePage(s), rows.length);
      case 'row-page-up':
        return this.select(view.selected - panePage(s), rows.length);
      case 'filter':
        return this.set((st) => ({ ...st, focus: 'filter' }));
      case 'sort-next':
      case 'sort-reverse': {
        if (s.pane === 'metrics') break;
        const sort = action === 'sort-next' ? nextSort(view.sort, view.columns.length) : reverseSort(view.sort);
        this.setView(s.pane, view.level, (v) => withSort(v, sort));
        return this.host.notice(sort ? `sorted by ${view.columns[sort.column] || `column ${sort.column + 1}`}, ${sort.desc ? 'high to low' : 'low to high'}` : 'rows in the order loaded');
      }
      case 'to-prompt':
        return this.set((st) => ({ ...st, focus: 'prompt' }));
      case 'refresh':
        return void this.host.refreshPane();
      case 'key-help':
        return this.host.openKeyHelp();
      case 'back':
        if (s.views[s.pane].length > 1) return this.popView();
        if (view.filter !== '') return this.setView(s.pane, view.level, (v) => ({ ...v, filter: '', selected: 0 }));
        return this.set((st) => ({ ...st, focus: 'prompt' }));
      case 'open':
        if (row && level.enter) return void this.runPlan(level.enter(row));
        return;
      case 'namespace':
        if (!hasNamespaces(s, s.pane)) break;
        // The prompt with `use ` and the namespaces to pick from; Enter switches.
        this.set((st) => ({ ...st, focus: 'prompt', line: lineOf('use '), completion: null }));
        return this.host.openMenu();
      case 'mark': {
        if (!level.marks || !row) break;
        const marked = view.marked === row.key ? null : row.key;
        this.setView(s.pane, view.level, (v) => ({ ...v, marked }));
        return this.host.notice(marked === null ? 'mark cleared' : `marked ${row.cells[0]}: d on another entry diffs from it to that one`);
      }
    }
    // The view's own keys (drain, release, edit, …) come from its level.
    const ch = ev.kind === 'char' ? ev.text : null;
    const own = ch ? level.actions.find((a) => a.key === ch) : undefined;
    if (own && row) {
      if (own.mutates && s.profile.readOnly) return this.host.notice(`profile ${s.profile.name} is read-only: "${own.label}" is disabled`);
      const why = own.unavailable?.(row);
      if (why) return this.host.notice(why);
      void this.runPlan(own.plan(row, this.d.owner, view.rows.find((r) => r.key === view.marked) ?? null));
    }
  }

  /** A key while the filter is typed (key table context `filter`); typing narrows the rows. */
  filterKey(ev: KeyEvent): void {
    const s = this.s;
    const view = currentView(s);
    const setFilter = (filter: string) => this.setView(s.pane, view.level, (v) => ({ ...v, filter, selected: 0 }));
    if (ev.kind === 'char' || ev.kind === 'paste') return setFilter(view.filter + ev.text.replace(/\n/g, ' '));
    switch (actionFor(ev, ['filter'])) {
      case 'filter-backspace':
        return setFilter(view.filter.slice(0, -1));
      case 'filter-clear':
        setFilter('');
        return this.set((st) => ({ ...st, focus: 'pane' }));
      case 'filter-keep':
        return this.set((st) => ({ ...st, focus: 'pane' }));
    }
  }

  /**
   * Opens a drill-down of a pane from the prompt (`services drift` typed there opens the drift
   * view). The same view already open is moved to the top instead of stacked twice.
   */
  openDrill(pane: PaneId, plan: Extract<Plan, { kind: 'drill' }>): void {
    if (this.s.pane === 'metrics' && pane !== 'metrics') this.metrics.runner?.stop();
    this.set((s) => ({ ...s, pane, focus: 'pane', completion: null, detail: null, views: { ...s.views, [pane]: [...s.views[pane].filter((v) => v.level !== plan.level), drillView(pane, plan)] } }));
    void this.host.refreshPane();
  }

  switchPane(pane: PaneId): void {
    const from = this.s.pane;
    this.set((s) => ({ ...s, pane, detail: null }));
    // Leaving the metrics pane aborts its requests; nobody is looking at those charts.
    if (from === 'metrics' && pane !== 'metrics') this.metrics.runner?.stop();
    if (pane === 'metrics') {
      this.views.stopLive();
      this.metrics.loadSaved();
      void this.metrics.runner?.start();
      return;
    }
    void this.host.refreshPane();
  }

  /**
   * Opens the metrics pane on a list of its own (`metrics watch`, a service's standard queries).
   * The saved list is kept aside: Esc goes back to it, `S` saves the shown list in its place.
   */
  openMetrics(exprs: readonly string[], source: string, intervalMs?: number): void {
    this.metrics.show(exprs, source, intervalMs);
    this.set((s) => ({ ...s, focus: 'pane', completion: null }));
    if (this.s.pane !== 'metrics') this.switchPane('metrics');
    else void this.metrics.runner?.refresh();
  }

  private async runPlan(plan: Plan | null): Promise<void> {
    if (!plan) return;
    if (plan.kind === 'drill') {
      const view = drillView(this.s.pane, plan);
      this.set((s) => ({ ...s, views: { ...s.views, [s.pane]: [...s.views[s.pane], view] } }));
      return this.host.refreshPane();
    }
    if (plan.kind === 'detail') {
      this.set((s) => ({ ...s, detail: { title: plan.title, lines: ['loading…'], scroll: 0 } }));
      try {
        const lines = await this.d.loadDetail(plan);
        this.set((s) => (s.detail ? { ...s, detail: { ...s.detail, lines } } : s));
      } catch (e) {
        this.set((s) => (s.detail ? { ...s, detail: { ...s.detail, lines: [`error: ${(e as Error).message}`] } } : s));
      }
      return;
    }
    if (plan.kind === 'metrics') {
      if (!this.d.metrics) return this.host.notice('this console has no metrics pane');
      try {
        return this.openMetrics(this.d.metrics.serviceQueries(plan.service), `service ${plan.service}`);
      } catch (e) {
        return this.host.notice(`${(e as Error).message}${(e as { hint?: string }).hint ? ` (hint: ${(e as { hint?: string }).hint})` : ''}`);
      }
    }
    if (this.host.busy()) return;
    if (plan.kind === 'edit-config') {
      try {
        return await this.d.editConfig(plan);
      } catch (e) {
        return this.host.notice(`editing failed: ${(e as Error).message}`);
      }
    }
    // The pane asks before a change its command would make without asking (drain, roll back);
    // a destructive command (deregister, force release) asks itself, with its own details.
    if (plan.confirm !== null && !(await this.host.ask(plan.confirm))) return this.host.notice('cancelled; nothing was changed');
    const line = plan.line;
    const history = record(this.s.history, line);
    this.set((s) => ({ ...s, history }));
    this.d.saveHistory(history.entries);
    await this.host.execute(line, (signal) => this.d.runLine(line, signal));
  }

  private popView(): void {
    this.set((s) => ({ ...s, views: { ...s.views, [s.pane]: s.views[s.pane].slice(0, -1) } }));
    void this.host.refreshPane();
  }

  private select(index: number, count: number): void {
    const s = this.s;
    this.setView(s.pane, currentView(s).level, (v) => ({ ...v, selected: clamp(index, count) }));
  }

  private setView(pane: PaneId, level: string, update: (v: PaneView) => PaneView): void {
    this.set((s) => withView(s, pane, level, update));
  }
}

function drillView(pane: PaneId, plan: Extract<Plan, { kind: 'drill' }>): PaneView {
  return { pane, level: plan.level, title: plan.title, columns: plan.columns, rows: [], fetchedAt: null, error: null, loading: true, selected: 0, filter: '' };
}
