import type { HealthReport } from '../../core/health.js';
import { benchViewKey } from './bench-view.js';
import { CompletionMenu } from './completion-menu.js';
import type { ConsoleHost } from './console-host.js';
import type { ControllerDeps } from './controller-deps.js';
import { actionFor } from './key-bindings.js';
import type { KeyEvent } from './keys.js';
import { MetricsController } from './metrics-controller.js';
import { OverlayController } from './overlay-controller.js';
import { PaneController } from './pane-controller.js';
import type { Plan } from './pane-levels.js';
import { PromptController } from './prompt-controller.js';
import type { ConsoleState, LogEntry, PaneId } from './state.js';
import { ViewLoader } from './view-loader.js';

export type { ControllerDeps, MetricsDeps } from './controller-deps.js';

const LOG_CAP = 400;
/** The footer while a cancelled command winds down; cleared when it ends, not by a key. */
const CANCELLING = 'cancelling…';
/** Ctrl-C in a field does what its Esc does (clear the filter, cancel the edit). */
const ESCAPE: KeyEvent = { kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false };

/**
 * The console's behaviour, free of widgets: key events in, state transitions and effects out.
 * This is the one facade the rest of the console uses; it routes each key to the part that has
 * it (overlay-controller.ts, prompt-controller.ts, pane-controller.ts, metrics-controller.ts),
 * and owns what they share: the one running command, the log, and the notice.
 * Every mutation a pane offers becomes a command line, so it lands in history and recordings.
 * Lines run with nobody's --yes: `runLine` lets each command ask through `ask`.
 */
export class Controller {
  private running: AbortController | null = null;
  private logId = 0;
  /** Loads and follows the view on screen (view-loader.ts). */
  private readonly views: ViewLoader;
  /** The metrics pane's own controller (metrics-controller.ts): its keys, editors, saved list and runner. */
  private readonly metrics: MetricsController;
  private readonly menu: CompletionMenu;
  private readonly prompt: PromptController;
  private readonly panes: PaneController;
  private readonly overlays: OverlayController;

  constructor(private readonly d: ControllerDeps) {
    const host: ConsoleHost = {
      notice: (text) => this.notice(text),
      log: (entry) => this.log(entry),
      amendLog: (id, change) => this.amendLog(id, change),
      ask: (message, typeToConfirm) => this.ask(message, typeToConfirm),
      execute: (label, run) => this.execute(label, run),
      busy: () => this.busy(),
      refreshPane: () => this.refreshPane(),
      switchPane: (pane) => this.panes.switchPane(pane),
      openMenu: () => this.menu.open(),
      openKeyHelp: () => this.overlays.openKeyHelp(),
      openOutputPager: () => this.overlays.openOutputPager(),
    };
    this.views = new ViewLoader(d, () => this.metrics.runner?.refresh());
    this.menu = new CompletionMenu(d.store, d.completion);
    this.metrics = new MetricsController({ store: d.store, completion: d.completion, now: d.now, notice: host.notice, menuKey: (ev, accept) => this.menu.key(ev, accept) }, d.metrics);
    this.prompt = new PromptController(d, host, this.menu);
    this.panes = new PaneController(d, host, this.metrics, this.views);
    this.overlays = new OverlayController(d, host);
  }

  /** Stops background work (the metrics pane's requests); the console calls it on exit. */
  dispose(): void {
    this.metrics.runner?.stop();
    this.views.stopLive();
    this.menu.dispose();
  }

  private get s(): ConsoleState {
    return this.d.store.get();
  }

  private set(update: (s: ConsoleState) => ConsoleState): void {
    this.d.store.set(update);
  }

  /** One key: an open overlay takes it, else the `global` bindings, else the part with the focus. */
  handle(ev: KeyEvent): void {
    const s = this.s;
    // A footer message is for the moment it appears: the next key clears it (a key that has
    // something to say sets its own). "cancelling…" stays until the command it is about ends.
    if (s.notice !== null && !(this.running && s.notice === CANCELLING)) this.notice(null);
    if (s.dialog) return this.overlays.dialogKey(ev);
    const global = actionFor(ev, ['global']);
    if (global === 'cancel') return this.interrupt();
    if (global === 'redraw') return this.d.redraw();
    if (s.keyHelp) return this.overlays.keyHelpKey(ev);
    if (s.bench) return benchViewKey(ev, s.bench, { stop: () => this.running?.abort(), close: () => this.set((st) => ({ ...st, bench: null })) });
    if (s.pager) return this.overlays.pagerKey(ev);
    if (s.detail) return this.overlays.detailKey(ev);
    switch (s.focus) {
      case 'prompt':
        return this.prompt.key(ev);
      case 'search':
        return this.prompt.searchKey(ev);
      case 'filter':
        return this.panes.filterKey(ev);
      case 'pane':
        return this.panes.key(ev);
      case 'query':
        return this.metrics.queryKey(ev);
      case 'range':
        return this.metrics.rangeKey(ev);
    }
  }

  resize(cols: number, rows: number): void {
    this.set((s) => ({ ...s, cols, rows }));
  }

  /** Replaces the text (and exit code) of a log entry, for output that arrives while a command runs. */
  amendLog(id: number, change: Partial<Pick<LogEntry, 'text' | 'exitCode'>>): void {
    this.set((s) => (s.log.some((e) => e.id === id) ? { ...s, log: s.log.map((e) => (e.id === id ? { ...e, ...change } : e)) } : s));
  }

  /** Appends output to the log, keeping it capped so memory stays flat in long sessions. Returns its id. */
  log(entry: Omit<LogEntry, 'id'>): number {
    const id = ++this.logId;
    this.set((s) => {
      const log = [...s.log, { ...entry, id }];
      let lines = 0;
      let keepFrom = log.length;
      while (keepFrom > 0 && lines < LOG_CAP) lines += log[--keepFrom]!.text.split('\n').length + 1;
      return { ...s, log: log.slice(keepFrom) };
    });
    return id;
  }

  notice(text: string | null): void {
    this.set((s) => ({ ...s, notice: text }));
  }

  /** Asks in a dialog; pane actions on a production profile demand the profile name too. */
  ask(message: string, typeToConfirm: string | null = null): Promise<boolean> {
    return this.overlays.ask(message, typeToConfirm);
  }

  /** The periodic refresh: skips views whose data is younger than their minimum interval. */
  tick(): Promise<void> {
    return this.views.tick();
  }

  /** Reloads the view on screen (view-loader.ts: never two loads at once, the last good rows kept on error). */
  refreshPane(): Promise<void> {
    return this.views.refresh();
  }

  /** Records what a check found about backends (a pane load, the background ping, a `status` run). */
  reportHealth(reports: readonly HealthReport[]): void {
    this.views.reportHealth(reports);
  }

  /** Runs a command line from the prompt or a pane action; pane data reloads afterwards. */
  async execute(label: string, run: (signal: AbortSignal) => Promise<number>): Promise<number> {
    const ac = new AbortController();
    this.running = ac;
    this.set((s) => ({ ...s, running: { line: label, startedAt: this.d.now() } }));
    try {
      return await run(ac.signal);
    } finally {
      this.running = null;
      this.set((s) => ({ ...s, running: null, notice: s.notice === CANCELLING ? null : s.notice }));
      void this.refreshPane();
    }
  }

  /**
   * Opens a drill-down of a pane from the prompt (`services drift` typed there opens the drift
   * view). The same view already open is moved to the top instead of stacked twice.
   */
  openDrill(pane: PaneId, plan: Extract<Plan, { kind: 'drill' }>): void {
    this.panes.openDrill(pane, plan);
  }

  /**
   * Opens the metrics pane on a list of its own (`metrics watch`, a service's standard queries).
   * The saved list is kept aside: Esc goes back to it, `S` saves the shown list in its place.
   */
  openMetrics(exprs: readonly string[], source: string, intervalMs?: number): void {
    this.panes.openMetrics(exprs, source, intervalMs);
  }

  /** The console runs one command at a time: while one runs, a second is refused with a notice. */
  private busy(): boolean {
    if (this.running) this.notice('a command is still running; Ctrl-C cancels it');
    return this.running !== null;
  }

  /** Ctrl-C: cancels the running command; else leaves the field being typed, or clears the line. */
  private interrupt(): void {
    if (this.running) {
      this.running.abort();
      return this.notice(CANCELLING);
    }
    const focus = this.s.focus;
    if (focus === 'filter') return this.panes.filterKey(ESCAPE);
    if (focus === 'query') return this.metrics.queryKey(ESCAPE);
    if (focus === 'range') return this.metrics.rangeKey(ESCAPE);
    this.prompt.clearLine();
  }
}
