import { completeExpression } from '../../shell/completion/promql-complete.js';
import type { CompletionData, CompletionResult } from '../../shell/completion/types.js';
import { edit, lineOf, type EditAction } from '../../shell/line-editor.js';
import { cursorColumns } from './metrics-pane-layout.js';
import type { MetricsDeps } from './controller-deps.js';
import { actionFor, editActionFor } from './key-bindings.js';
import type { KeyEvent } from './keys.js';
import { layout } from './layout.js';
import { MetricsRunner } from './metrics-runner.js';
import { commitEdit, commitRangeEdit, exprsOf, INTERVALS_MS, RANGES_MS, removeQuery, showQueries, startEdit, startRangeEdit, stepChoice, type MetricsPaneState } from './metrics-state.js';
import type { ConsoleState } from './state.js';
import type { Store } from './store.js';

/** What the metrics pane's controller needs from the console's controller. */
export interface MetricsHost {
  store: Store<ConsoleState>;
  completion: CompletionData;
  now(): number;
  notice(text: string | null): void;
  /** The completion menu's keys (key table context `menu`); false when the key is not one of them. */
  menuKey(ev: KeyEvent, accept: (candidate: CompletionResult['items'][number] | undefined) => void): boolean;
}

/**
 * The metrics pane's behaviour: its keys (the `metrics` context of the key table), the inline query
 * and time range editors (`editor`, `line`, `menu`), the saved list, and the runner that keeps the
 * charts live. The console's controller hands it the keys while the pane or an editor has focus.
 */
export class MetricsController {
  /** Null without a metrics backend: the pane only says how to configure one. */
  readonly runner: MetricsRunner | null;
  /** False when a bad saved-query file could not be moved aside: writing would destroy it. */
  private savedWritable = true;
  private readonly deps: MetricsDeps | undefined;

  constructor(
    private readonly host: MetricsHost,
    deps: MetricsDeps | undefined,
  ) {
    this.deps = deps;
    this.runner = deps ? new MetricsRunner(host.store, deps.fetchRange, host.now, deps.check?.bind(deps)) : null;
  }

  private get s(): ConsoleState {
    return this.host.store.get();
  }

  private set(update: (s: ConsoleState) => ConsoleState): void {
    this.host.store.set(update);
  }

  /** Shows a list of its own (`metrics watch`, a service's standard queries); the saved list waits behind it. */
  show(exprs: readonly string[], source: string, intervalMs?: number): void {
    this.loadSaved();
    this.setMetrics((m) => ({ ...showQueries(m, exprs, source), intervalMs: intervalMs ?? m.intervalMs }));
  }

  /** Reads the saved queries once, when the pane first opens. */
  loadSaved(): void {
    if (this.s.metrics.loaded || !this.deps) return;
    const loaded = this.deps.loadSaved();
    this.savedWritable = loaded.writable;
    const { saved } = loaded;
    this.setMetrics((m) => {
      const base = { ...m, loaded: true, warning: loaded.warning, intervalMs: saved.intervalMs ?? m.intervalMs, rangeMs: saved.rangeMs ?? m.rangeMs, mode: saved.mode ?? m.mode };
      // A list opened before the file was read (a watch) stays; the saved one waits behind it.
      return m.transient !== null ? { ...base, saved: saved.queries } : showQueries(base, saved.queries, null);
    });
  }

  /** Keys of the metrics pane; false when the key is not the pane's own (pane switching, `:`). */
  key(ev: KeyEvent): boolean {
    const m = this.s.metrics;
    const n = m.queries.length;
    const select = (i: number) => this.setMetrics((x) => ({ ...x, cursor: null, selected: n === 0 ? 0 : Math.max(0, Math.min(n - 1, i)) }));
    const action = actionFor(ev, ['metrics']);
    switch (action) {
      case 'query-down':
        select(m.selected + 1);
        break;
      case 'query-up':
        select(m.selected - 1);
        break;
      case 'query-first':
        select(0);
        break;
      case 'query-last':
        select(n - 1);
        break;
      case 'query-add':
        this.editQuery(null);
        break;
      case 'query-edit':
        if (n === 0) return false;
        this.editQuery(m.selected);
        break;
      case 'query-remove':
        if (n === 0) return false;
        this.changeQueries((x) => removeQuery(x, x.selected));
        break;
      case 'chart-mode':
        this.changeSettings((x) => ({ ...x, mode: x.mode === 'braille' ? 'block' : 'braille' }));
        break;
      case 'interval-longer':
      case 'interval-shorter': {
        const dir = action === 'interval-shorter' ? -1 : 1;
        this.changeSettings((x) => ({ ...x, intervalMs: stepChoice(INTERVALS_MS, x.intervalMs, dir) }));
        this.runner?.schedule();
        break;
      }
      case 'cursor-left':
      case 'cursor-right': {
        const cols = cursorColumns(this.s, layout(this.s).pane);
        if (cols === 0) return false;
        const left = action === 'cursor-left';
        // First press: the newest column (←) or the oldest (→); ← past the left edge clears it.
        const at = m.cursor === null ? (left ? cols - 1 : 0) : Math.min(cols - 1, m.cursor + (left ? -1 : 1));
        this.setMetrics((x) => ({ ...x, cursor: at < 0 ? null : at }));
        break;
      }
      case 'range-type':
        this.setMetrics(startRangeEdit);
        this.set((s) => ({ ...s, focus: 'range' }));
        break;
      case 'range-longer':
      case 'range-shorter': {
        const dir = action === 'range-shorter' ? -1 : 1;
        this.changeSettings((x) => ({ ...x, rangeMs: stepChoice(RANGES_MS, x.rangeMs, dir) }));
        void this.runner?.refresh();
        break;
      }
      case 'save-list':
        if (m.transient === null) this.host.notice('these are already the saved queries');
        else this.changeQueries((x) => ({ ...x, transient: null, saved: null }));
        break;
      case 'refresh':
        void this.runner?.refresh();
        break;
      case 'no-filter':
        this.host.notice('the metrics pane has no filter: edit a query (e) to narrow it');
        break;
      case 'back':
        if (m.cursor !== null) {
          this.setMetrics((x) => ({ ...x, cursor: null }));
          break;
        }
        // A watch or a service's queries are a detour: Esc goes back to the saved list, then to the prompt.
        if (m.transient !== null) {
          this.setMetrics((x) => showQueries(x, x.saved ?? [], null));
          void this.runner?.refresh();
        } else this.set((s) => ({ ...s, focus: 'prompt' }));
        break;
      default:
        return false;
    }
    return true;
  }

  private editQuery(index: number | null): void {
    this.setMetrics((m) => startEdit(m, index));
    if (this.s.metrics.editing) this.set((s) => ({ ...s, focus: 'query' }));
  }

  /** The inline query editor: the line editor's keys and the completion menu's, Enter keeps, Esc cancels (all from the key table). */
  queryKey(ev: KeyEvent): void {
    const editing = this.s.metrics.editing;
    if (!editing) return this.set((s) => ({ ...s, focus: 'pane' }));
    // The prompt's PromQL completion, on the bare expression: same engine, same live names.
    if (this.s.completion?.open && this.host.menuKey(ev, (c) => this.acceptQueryCompletion(c))) return;
    if (this.s.completion) this.set((s) => ({ ...s, completion: null }));
    if (ev.kind === 'char' || ev.kind === 'paste') return this.editQueryLine({ type: 'insert', text: ev.text.replace(/\s*\n\s*/g, ' ') });
    switch (actionFor(ev, ['editor'])) {
      case 'editor-complete':
        return this.completeQuery();
      case 'editor-keep':
        this.set((s) => ({ ...s, focus: 'pane' }));
        this.changeQueries(commitEdit);
        return void this.runner?.refresh();
      case 'editor-cancel':
        this.setMetrics((m) => ({ ...m, editing: null }));
        return this.set((s) => ({ ...s, focus: 'pane' }));
    }
    const action = editActionFor(ev);
    if (action) this.editQueryLine(action);
  }

  private editQueryLine(a: EditAction): void {
    this.setMetrics((m) => (m.editing ? { ...m, editing: { ...m.editing, line: edit(m.editing.line, a) } } : m));
  }

  /** The time range editor (`t`): the line editor's keys; Enter takes the range or shows why not; Esc cancels. */
  rangeKey(ev: KeyEvent): void {
    const editing = this.s.metrics.rangeEdit;
    if (!editing) return this.set((s) => ({ ...s, focus: 'pane' }));
    let action: EditAction | null = null;
    if (ev.kind === 'char' || ev.kind === 'paste') action = { type: 'insert', text: ev.text.replace(/\s+/g, '') };
    else {
      switch (actionFor(ev, ['editor'])) {
        case 'editor-keep':
          this.changeSettings(commitRangeEdit);
          if (this.s.metrics.rangeEdit) return;
          this.set((s) => ({ ...s, focus: 'pane' }));
          return void this.runner?.refresh();
        case 'editor-cancel':
          this.setMetrics((m) => ({ ...m, rangeEdit: null }));
          return this.set((s) => ({ ...s, focus: 'pane' }));
      }
      action = editActionFor(ev);
    }
    if (action) {
      const a = action;
      this.setMetrics((m) => (m.rangeEdit ? { ...m, rangeEdit: { line: edit(m.rangeEdit.line, a), error: null } } : m));
    }
  }

  private completeQuery(): void {
    const line = this.s.metrics.editing?.line;
    if (!line) return;
    const result = completeExpression(line.text, line.cursor, this.host.completion, 50);
    if (!result.loading && result.items.length === 1) return this.acceptQueryCompletion(result.items[0]);
    this.set((s) => ({ ...s, completion: { result, selected: 0, open: result.items.length > 0 || result.loading === true } }));
  }

  private acceptQueryCompletion(candidate: { insert?: { text: string; cursor: number } } | undefined): void {
    this.set((s) => ({ ...s, completion: null }));
    if (!candidate?.insert) return;
    const { text, cursor } = candidate.insert;
    this.setMetrics((m) => (m.editing ? { ...m, editing: { ...m.editing, line: lineOf(text, cursor) } } : m));
  }

  private setMetrics(update: (m: MetricsPaneState) => MetricsPaneState): void {
    this.set((s) => {
      const metrics = update(s.metrics);
      return metrics === s.metrics ? s : { ...s, metrics };
    });
  }

  /** A change of the list: saved at once unless a transient list (a watch) is shown. */
  private changeQueries(update: (m: MetricsPaneState) => MetricsPaneState): void {
    const before = this.s.metrics;
    this.setMetrics(update);
    const after = this.s.metrics;
    if (after.transient === null && (before.transient !== null || exprsOf(before).join('\n') !== exprsOf(after).join('\n'))) this.persist();
  }

  /** Interval, range and chart style are saved with the list, whichever list is shown. */
  private changeSettings(update: (m: MetricsPaneState) => MetricsPaneState): void {
    this.setMetrics(update);
    this.persist();
  }

  private persist(): void {
    const m = this.s.metrics;
    if (!this.deps || !this.savedWritable) return;
    const queries = m.transient === null ? exprsOf(m) : (m.saved ?? []);
    try {
      this.deps.save({ queries, intervalMs: m.intervalMs, rangeMs: m.rangeMs, mode: m.mode });
      if (m.warning !== null) this.setMetrics((x) => ({ ...x, warning: null }));
    } catch (e) {
      this.setMetrics((x) => ({ ...x, warning: `cannot save the queries: ${(e as Error).message}` }));
    }
  }
}
