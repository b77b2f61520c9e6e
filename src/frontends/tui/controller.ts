import { COMMANDS } from '../../commands/table.js';
import type { Scope } from '../../core/scope.js';
import { applyCandidate } from '../../shell/completion/apply.js';
import { complete } from '../../shell/completion/complete.js';
import type { CompletionResult } from '../../shell/completion/types.js';
import { previous, next, record, searchBack } from '../../shell/history.js';
import { edit, lineOf, EMPTY_LINE, type EditAction } from '../../shell/line-editor.js';

export type { ControllerDeps, MetricsDeps } from './controller-deps.js';
import { withoutYes } from '../../shell/without-yes.js';
import { benchViewKey } from './bench-view.js';
import { actionFor, bindingsFor, editActionFor } from './key-bindings.js';
import { keyHelpLines, openKeyHelp, type KeyHelpState } from './key-help.js';
import type { KeyEvent } from './keys.js';
import { layout } from './layout.js';
import { clampScroll, outputWindow } from './output-lines.js';
import { findMatch, movePager, openPager, pagerLines, type PagerMove, type PagerState } from './pager.js';
import type { ControllerDeps } from './controller-deps.js';
import { MetricsController } from './metrics-controller.js';
import { ViewLoader } from './view-loader.js';
import { levelOf, type Plan } from './pane-levels.js';
import type { HealthReport } from '../../core/health.js';
import { clamp, currentView, hasNamespaces, PANES, visibleRows, withSort, withView, type ConsoleState, type LogEntry, type PaneId, type PaneView } from './state.js';
import { nextSort, reverseSort } from './row-sort.js';
import { isUseLine, runUse, USE_COMMAND } from './use-namespace.js';

/** What the prompt completes: the table's commands and the console's own `use`. */
const PROMPT_COMMANDS = [...COMMANDS, USE_COMMAND];

const LOG_CAP = 400;
/** Lines one wheel notch scrolls the output area. */
const WHEEL_LINES = 3;
/** The footer while a cancelled command winds down; cleared when it ends, not by a key. */
const CANCELLING = 'cancelling…';

/**
 * The console's behaviour, free of widgets: key events in, state transitions and effects out.
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

  constructor(private readonly d: ControllerDeps) {
    this.views = new ViewLoader(d, () => this.metricsRunner?.refresh());
    this.metrics = new MetricsController({ store: d.store, completion: d.completion, now: d.now, notice: (t) => this.notice(t), menuKey: (ev, accept) => this.menuKey(ev, accept) }, d.metrics);
  }

  private get metricsRunner() {
    return this.metrics.runner;
  }

  /** Stops background work (the metrics pane's requests); the console calls it on exit. */
  dispose(): void {
    this.metricsRunner?.stop();
    this.views.stopLive();
    if (this.loadingTimer) clearTimeout(this.loadingTimer);
  }

  private get s(): ConsoleState {
    return this.d.store.get();
  }

  private set(update: (s: ConsoleState) => ConsoleState): void {
    this.d.store.set(update);
  }

  handle(ev: KeyEvent): void {
    const s = this.s;
    // A footer message is for the moment it appears: the next key clears it (a key that has
    // something to say sets its own). "cancelling…" stays until the command it is about ends.
    if (s.notice !== null && !(this.running && s.notice === CANCELLING)) this.notice(null);
    if (s.dialog) return this.dialogKey(ev);
    const global = actionFor(ev, ['global']);
    if (global === 'cancel') return this.interrupt();
    if (global === 'redraw') return this.d.redraw();
    if (s.keyHelp) return this.keyHelpKey(ev);
    if (s.bench) return benchViewKey(ev, s.bench, { stop: () => this.running?.abort(), close: () => this.set((st) => ({ ...st, bench: null })) });
    if (s.pager) return this.pagerKey(ev);
    if (s.detail) return this.detailKey(ev);
    switch (s.focus) {
      case 'prompt':
        return this.promptKey(ev);
      case 'search':
        return this.searchKey(ev);
      case 'filter':
        return this.filterKey(ev);
      case 'pane':
        return this.paneKey(ev);
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
    const s = this.s;
    const mustType = typeToConfirm ?? (s.profile.production ? s.profile.name : null);
    // One dialog at a time: a second question while one is open is declined, never lost.
    if (s.dialog) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.set((st) => ({ ...st, dialog: { message, typeToConfirm: mustType, input: '', resolve } }));
    });
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

  // ----- prompt -----

  private promptKey(ev: KeyEvent): void {
    const s = this.s;
    const menu = s.completion?.open ? s.completion : null;
    if (ev.kind === 'paste') {
      if (ev.text.includes('\n')) return void this.runPaste(ev.text);
      return this.editLine({ type: 'insert', text: ev.text });
    }
    if (ev.kind === 'char') {
      // `?` on an empty line is the key list; anywhere else it is a character of the line.
      if (s.line.text === '' && actionFor(ev, ['prompt']) === 'key-help') return this.openKeyHelp();
      return this.editLine({ type: 'insert', text: ev.text });
    }
    if (menu && this.menuKey(ev, () => this.acceptMenu(), () => this.set((st) => ({ ...st, completion: st.completion ? { ...st.completion, open: false } : null })))) return;
    for (const b of bindingsFor(ev, ['prompt'])) if (this.promptAction(b.action, ev) !== false) return;
    const action = editActionFor(ev);
    if (action) this.editLine(action);
  }

  /** One prompt action from the key table; false when it does not apply here, so the next binding of the key may act. */
  private promptAction(action: string, ev: Extract<KeyEvent, { kind: 'key' }>): void | false {
    const s = this.s;
    switch (action) {
      case 'run':
        return void this.submit();
      case 'complete':
        return this.openMenu();
      case 'accept-hint':
        if (s.line.cursor !== s.line.text.length || !s.completion?.result.hint) return false;
        return this.editLine({ type: 'insert', text: s.completion.result.hint });
      case 'history-back':
        return this.historyMove(-1);
      case 'history-forward':
        return this.historyMove(1);
      case 'history-search':
        return this.set((st) => ({ ...st, focus: 'search', search: { query: '', index: null } }));
      case 'output-up':
        return this.scrollLog(this.outputPage());
      case 'output-down':
        return this.scrollLog(-this.outputPage());
      case 'output-wheel-up':
        return this.scrollLog(WHEEL_LINES);
      case 'output-wheel-down':
        return this.scrollLog(-WHEEL_LINES);
      case 'output-pager':
        return this.openOutputPager();
      case 'to-panes':
        return this.set((st) => ({ ...st, focus: 'pane', completion: null }));
      case 'pane-jump':
        return this.switchPane(PANES[Number(ev.name) - 1]!);
      case 'exit':
        if (s.line.text === '') return this.d.exit();
        return this.editLine({ type: 'delete' });
      default:
        return false;
    }
  }

  // ----- output area, pager, key overlay -----

  /** A page of the output area: its height less two lines, so a line of context stays. */
  private outputPage(): number {
    return Math.max(1, layout(this.s).log - 2);
  }

  /** Scrolls the output area back (positive) or forward, within what the log holds. */
  private scrollLog(delta: number): void {
    const s = this.s;
    const l = layout(s);
    const { total } = outputWindow(s.log, l.width, l.log, 0);
    this.set((st) => ({ ...st, logScroll: clampScroll(st.logScroll + delta, total, l.log) }));
  }

  /** Opens the output in the pager: the newest result, or the one at the bottom of the scrolled-back area. */
  private openOutputPager(): void {
    const s = this.s;
    const l = layout(s);
    const shown = outputWindow(s.log, l.width, l.log, s.logScroll).lines;
    const id = shown[shown.length - 1]?.entry;
    const entry = s.log.find((e) => e.id === id);
    if (!entry) return this.notice('no output yet: run a command, then Ctrl-O reads it here');
    this.set((st) => ({ ...st, pager: openPager(entry.line === null ? 'output' : `› ${entry.line}`, entry.text), completion: null }));
  }

  private pagerKey(ev: KeyEvent): void {
    const p = this.s.pager!;
    const l = layout(this.s);
    const lines = pagerLines(p, l.width);
    const height = l.body - 1;
    const setPager = (next: PagerState | null) => this.set((s) => ({ ...s, pager: next }));
    if (p.typing !== null) {
      if (ev.kind === 'char' || ev.kind === 'paste') return setPager({ ...p, typing: p.typing + ev.text.replace(/\n/g, ' ') });
      switch (actionFor(ev, ['pager-search'])) {
        case 'pager-search-backspace':
          return setPager({ ...p, typing: p.typing.slice(0, -1) });
        case 'pager-search-cancel':
          return setPager({ ...p, typing: null });
        case 'pager-find':
          return setPager(findMatch({ ...p, query: p.typing, typing: null, match: null }, lines, 1, height, p.top - 1));
      }
      return;
    }
    const action = actionFor(ev, ['pager']);
    const move = action?.startsWith('pager-') ? PAGER_MOVES[action.slice(6)] : undefined;
    if (move) return setPager(movePager(p, move, lines, height));
    switch (action) {
      case 'pager-search':
        return setPager({ ...p, typing: '' });
      case 'pager-external':
        if (!this.d.openPager) return setPager({ ...p, message: 'no $PAGER here' });
        try {
          this.d.openPager(p.text.join('\n') + '\n');
          return setPager({ ...p, message: null });
        } catch (e) {
          return setPager({ ...p, message: `$PAGER failed: ${(e as Error).message}` });
        }
      case 'pager-close':
        return setPager(null);
    }
  }

  /** The `?` overlay of the place the user is in: the prompt, or the pane (with its level's keys). */
  private openKeyHelp(): void {
    const s = this.s;
    let help: KeyHelpState;
    if (s.focus === 'prompt') help = openKeyHelp(['prompt', 'menu', 'line', 'global'], 'prompt');
    else if (s.pane === 'metrics') help = openKeyHelp(['metrics', 'editor', 'pane', 'global'], 'metrics pane');
    else {
      const view = currentView(s);
      help = openKeyHelp(['pane', 'filter', 'global'], `${s.pane} pane (${view.title})`, levelOf(s.pane, view).actions);
    }
    this.set((st) => ({ ...st, keyHelp: help, completion: null }));
  }

  private keyHelpKey(ev: KeyEvent): void {
    const h = this.s.keyHelp!;
    const setHelp = (next: KeyHelpState | null) => this.set((s) => ({ ...s, keyHelp: next }));
    if (ev.kind === 'char' || ev.kind === 'paste') return setHelp({ ...h, query: h.query + ev.text.replace(/\n/g, ' '), scroll: 0 });
    const page = Math.max(1, layout(this.s).body - 2);
    const max = Math.max(0, keyHelpLines(h).length - page);
    const scrollBy = (delta: number) => setHelp({ ...h, scroll: Math.max(0, Math.min(max, h.scroll + delta)) });
    switch (actionFor(ev, ['help'])) {
      case 'help-backspace':
        return setHelp({ ...h, query: h.query.slice(0, -1), scroll: 0 });
      case 'help-scroll-down':
        return scrollBy(1);
      case 'help-scroll-up':
        return scrollBy(-1);
      case 'help-page-down':
        return scrollBy(page);
      case 'help-page-up':
        return scrollBy(-page);
      case 'help-all':
        return setHelp({ ...h, all: !h.all, scroll: 0 });
      case 'help-close':
        return setHelp(h.query !== '' ? { ...h, query: '', scroll: 0 } : null);
    }
  }

  private editLine(action: EditAction): void {
    this.set((s) => ({ ...s, line: edit(s.line, action) }));
    this.updateHint(false);
  }

  private updateHint(open: boolean): void {
    const { text, cursor } = this.s.line;
    const result = text.trim() === '' ? null : complete(PROMPT_COMMANDS, text, cursor, this.d.completion, 50, this.s.scope);
    this.set((s) => ({ ...s, completion: result ? { result, selected: 0, open: open && (result.items.length > 0 || result.loading === true) } : null }));
  }

  private openMenu(): void {
    const { text, cursor } = this.s.line;
    const result = complete(PROMPT_COMMANDS, text, cursor, this.d.completion, 50, this.s.scope);
    if (result.loading) {
      // Names still arriving: show `loading…` and fill the menu when they come, never insert.
      this.set((s) => ({ ...s, completion: { result, selected: 0, open: true } }));
      return this.whileLoading(text, cursor);
    }
    if (result.items.length === 1) {
      const applied = applyCandidate(text, result, result.items[0]!);
      this.set((s) => ({ ...s, line: lineOf(applied.text, applied.cursor) }));
      return this.updateHint(false);
    }
    this.set((s) => ({ ...s, completion: { result, selected: 0, open: result.items.length > 0 } }));
  }

  private loadingTimer: NodeJS.Timeout | null = null;

  /** Re-asks completion while the open menu waits for names, until they arrive or the line changes. */
  private whileLoading(text: string, cursor: number): void {
    if (this.loadingTimer) return;
    const poll = () => {
      this.loadingTimer = null;
      const c = this.s.completion;
      if (!c?.open || !c.result.loading || this.s.line.text !== text || this.s.line.cursor !== cursor) return;
      const result = complete(PROMPT_COMMANDS, text, cursor, this.d.completion, 50, this.s.scope);
      this.set((s) => ({ ...s, completion: { result, selected: 0, open: true } }));
      if (result.loading) this.loadingTimer = setTimeout(poll, 150);
    };
    this.loadingTimer = setTimeout(poll, 150);
    this.loadingTimer.unref?.();
  }

  /**
   * The open completion menu's keys (key table context `menu`), for the prompt and the metrics
   * query editor; false when the key is not one of them. Esc closes the menu (`close`, default: drop it).
   */
  private menuKey(ev: KeyEvent, accept: (candidate: CompletionResult['items'][number] | undefined) => void, close = () => this.set((st) => ({ ...st, completion: null }))): boolean {
    switch (actionFor(ev, ['menu'])) {
      case 'menu-next':
        this.moveMenu(1);
        return true;
      case 'menu-prev':
        this.moveMenu(-1);
        return true;
      case 'menu-accept': {
        const c = this.s.completion;
        accept(c?.result.items[c.selected]);
        return true;
      }
      case 'menu-close':
        close();
        return true;
      default:
        return false;
    }
  }

  private moveMenu(delta: number): void {
    this.set((s) => {
      if (!s.completion) return s;
      const n = s.completion.result.items.length;
      if (n === 0) return s;
      return { ...s, completion: { ...s.completion, selected: (s.completion.selected + delta + n) % n } };
    });
  }

  private acceptMenu(): void {
    const c = this.s.completion;
    if (!c) return;
    const candidate = c.result.items[c.selected];
    if (!candidate) return;
    const applied = applyCandidate(this.s.line.text, c.result, candidate);
    this.set((s) => ({ ...s, line: lineOf(applied.text, applied.cursor), completion: null }));
    this.updateHint(false);
  }

  private historyMove(dir: -1 | 1): void {
    const s = this.s;
    const moved = dir < 0 ? previous(s.history, s.line.text) : next(s.history);
    if (!moved) return;
    this.set((st) => ({ ...st, history: moved.state, line: lineOf(moved.line), completion: null }));
  }

  private searchKey(ev: KeyEvent): void {
    const s = this.s;
    const search = s.search ?? { query: '', index: null };
    if (ev.kind === 'char' || ev.kind === 'paste') return this.updateSearch(search.query + ev.text.replace(/\n/g, ' '), undefined);
    const action = actionFor(ev, ['search']);
    if (action === 'search-backspace') return this.updateSearch(search.query.slice(0, -1), undefined);
    if (action === 'search-older') return this.updateSearch(search.query, search.index ?? undefined);
    if (action === 'search-cancel') return this.set((st) => ({ ...st, focus: 'prompt', search: null }));
    // Any other key accepts the match into the line, then acts on it (Enter runs it).
    const match = search.index === null ? null : s.history.entries[search.index];
    this.set((st) => ({ ...st, focus: 'prompt', search: null, line: match ? lineOf(match) : st.line }));
    if (action === 'search-run') void this.submit();
  }

  private updateSearch(query: string, before: number | undefined): void {
    const hit = searchBack(this.s.history, query, before);
    this.set((s) => ({ ...s, search: { query, index: hit ? hit.index : before !== undefined ? (s.search?.index ?? null) : null } }));
  }

  private async submit(): Promise<void> {
    const typed = this.s.line.text.trim();
    if (typed === '') return;
    if (this.running) return this.notice('a command is still running; Ctrl-C cancels it');
    // The console asks for every confirmation, so history keeps what a person would type: a
    // recalled line never skips a question. Only argv and replay files may carry --yes.
    const line = withoutYes(typed);
    const history = record(this.s.history, line);
    this.set((s) => ({ ...s, line: EMPTY_LINE, history, completion: null, logScroll: 0, notice: line === typed ? null : '--yes is ignored in the console: it asks instead (use it in scripts and on the command line)' }));
    this.d.saveHistory(history.entries);
    if (line === '') return;
    if (line === 'exit' || line === 'quit') return this.d.exit();
    if (line === 'clear') return this.set((s) => ({ ...s, log: [] }));
    if (isUseLine(line)) return void (await this.execute(line, () => this.use(line)));
    await this.execute(line, (signal) => this.d.runLine(line, signal));
  }

  /** `use NAMESPACE`, `use --all`, `use`: the console's namespace (see use-namespace.ts). */
  private async use(line: string): Promise<number> {
    const entry = this.log({ line, text: '', exitCode: null });
    const namespaces = this.d.namespaces ?? (() => Promise.reject(new Error('this console cannot switch namespaces')));
    const r = await runUse(line, this.s.scope, namespaces).catch((e: unknown) => ({ text: `error: ${(e as Error).message}`, exitCode: 4, scope: undefined }));
    this.amendLog(entry, { text: r.text, exitCode: r.exitCode });
    if (r.scope !== undefined) this.setScope(r.scope);
    return r.exitCode;
  }

  /**
   * Enters a scope: panes 1 and 2 go back to their top lists (a drill-down belongs to the old
   * namespace) and their rows are dropped, so nothing of the old namespace shows as if it were
   * in the new one. The view on screen reloads when the `use` line finishes.
   */
  private setScope(scope: Scope): void {
    this.set((s) => {
      const top = (pane: 'services' | 'config'): PaneView[] => [{ ...s.views[pane][0]!, rows: [], fetchedAt: null, loading: true, error: null, selected: 0, warnings: [] }];
      return { ...s, scope, views: { ...s.views, services: top('services'), config: top('config') } };
    });
  }

  private async runPaste(text: string): Promise<void> {
    if (this.running) return this.notice('a command is still running; Ctrl-C cancels it');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    this.log({ line: null, text: `running a pasted script of ${lines.length} lines`, exitCode: null });
    await this.execute(`(pasted script, ${lines.length} lines)`, (signal) => this.d.runScript(text, signal));
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

  private interrupt(): void {
    if (this.running) {
      this.running.abort();
      return this.notice(CANCELLING);
    }
    const s = this.s;
    if (s.focus === 'filter') return this.filterKey({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false });
    if (s.focus === 'query') return this.metrics.queryKey({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false });
    if (s.focus === 'range') return this.metrics.rangeKey({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false });
    this.set((st) => ({ ...st, line: EMPTY_LINE, completion: null, search: null, focus: st.focus === 'search' ? 'prompt' : st.focus, notice: 'line cleared (Ctrl-D on an empty line exits)' }));
  }

  // ----- panes -----

  private paneKey(ev: KeyEvent): void {
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
        return this.select(view.selected + this.pageSize(), rows.length);
      case 'row-page-up':
        return this.select(view.selected - this.pageSize(), rows.length);
      case 'filter':
        return this.set((st) => ({ ...st, focus: 'filter' }));
      case 'sort-next':
      case 'sort-reverse': {
        if (s.pane === 'metrics') break;
        const sort = action === 'sort-next' ? nextSort(view.sort, view.columns.length) : reverseSort(view.sort);
        this.setView(s.pane, view.level, (v) => withSort(v, sort));
        return this.notice(sort ? `sorted by ${view.columns[sort.column] || `column ${sort.column + 1}`}, ${sort.desc ? 'high to low' : 'low to high'}` : 'rows in the order loaded');
      }
      case 'to-prompt':
        return this.set((st) => ({ ...st, focus: 'prompt' }));
      case 'refresh':
        return void this.refreshPane();
      case 'key-help':
        return this.openKeyHelp();
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
        return this.openMenu();
      case 'mark': {
        if (!level.marks || !row) break;
        const marked = view.marked === row.key ? null : row.key;
        this.setView(s.pane, view.level, (v) => ({ ...v, marked }));
        return this.notice(marked === null ? 'mark cleared' : `marked ${row.cells[0]}: d on another entry diffs from it to that one`);
      }
    }
    // The view's own keys (drain, release, edit, …) come from its level.
    const ch = ev.kind === 'char' ? ev.text : null;
    const own = ch ? level.actions.find((a) => a.key === ch) : undefined;
    if (own && row) {
      if (own.mutates && s.profile.readOnly) return this.notice(`profile ${s.profile.name} is read-only: "${own.label}" is disabled`);
      const why = own.unavailable?.(row);
      if (why) return this.notice(why);
      void this.runPlan(own.plan(row, this.d.owner, view.rows.find((r) => r.key === view.marked) ?? null));
    }
  }

  private pageSize(): number {
    return Math.max(1, layout(this.s).pane - 3);
  }

  private async runPlan(plan: Plan | null): Promise<void> {
    if (!plan) return;
    if (plan.kind === 'drill') {
      const view = drillView(this.s.pane, plan);
      this.set((s) => ({ ...s, views: { ...s.views, [s.pane]: [...s.views[s.pane], view] } }));
      return this.refreshPane();
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
      if (!this.d.metrics) return this.notice('this console has no metrics pane');
      try {
        return this.openMetrics(this.d.metrics.serviceQueries(plan.service), `service ${plan.service}`);
      } catch (e) {
        return this.notice(`${(e as Error).message}${(e as { hint?: string }).hint ? ` (hint: ${(e as { hint?: string }).hint})` : ''}`);
      }
    }
    if (this.running) return this.notice('a command is still running; Ctrl-C cancels it');
    if (plan.kind === 'edit-config') {
      try {
        return await this.d.editConfig(plan);
      } catch (e) {
        return this.notice(`editing failed: ${(e as Error).message}`);
      }
    }
    // The pane asks before a change its command would make without asking (drain, roll back);
    // a destructive command (deregister, force release) asks itself, with its own details.
    if (plan.confirm !== null && !(await this.ask(plan.confirm))) return this.notice('cancelled; nothing was changed');
    const line = plan.line;
    const history = record(this.s.history, line);
    this.set((s) => ({ ...s, history }));
    this.d.saveHistory(history.entries);
    await this.execute(line, (signal) => this.d.runLine(line, signal));
  }

  /**
   * Opens a drill-down of a pane from the prompt (`services drift` typed there opens the drift
   * view). The same view already open is moved to the top instead of stacked twice.
   */
  openDrill(pane: PaneId, plan: Extract<Plan, { kind: 'drill' }>): void {
    if (this.s.pane === 'metrics' && pane !== 'metrics') this.metricsRunner?.stop();
    this.set((s) => ({ ...s, pane, focus: 'pane', completion: null, detail: null, views: { ...s.views, [pane]: [...s.views[pane].filter((v) => v.level !== plan.level), drillView(pane, plan)] } }));
    void this.refreshPane();
  }

  private switchPane(pane: PaneId): void {
    const from = this.s.pane;
    this.set((s) => ({ ...s, pane, detail: null }));
    // Leaving the metrics pane aborts its requests; nobody is looking at those charts.
    if (from === 'metrics' && pane !== 'metrics') this.metricsRunner?.stop();
    if (pane === 'metrics') {
      this.views.stopLive();
      this.metrics.loadSaved();
      void this.metricsRunner?.start();
      return;
    }
    void this.refreshPane();
  }

  // ----- metrics pane (metrics-controller.ts) -----

  /**
   * Opens the metrics pane on a list of its own (`metrics watch`, a service's standard queries).
   * The saved list is kept aside: Esc goes back to it, `S` saves the shown list in its place.
   */
  openMetrics(exprs: readonly string[], source: string, intervalMs?: number): void {
    this.metrics.show(exprs, source, intervalMs);
    this.set((s) => ({ ...s, focus: 'pane', completion: null }));
    if (this.s.pane !== 'metrics') this.switchPane('metrics');
    else void this.metricsRunner?.refresh();
  }

  private popView(): void {
    this.set((s) => ({ ...s, views: { ...s.views, [s.pane]: s.views[s.pane].slice(0, -1) } }));
    void this.refreshPane();
  }

  private select(index: number, count: number): void {
    const s = this.s;
    this.setView(s.pane, currentView(s).level, (v) => ({ ...v, selected: clamp(index, count) }));
  }

  private setView(pane: PaneId, level: string, update: (v: PaneView) => PaneView): void {
    this.set((s) => withView(s, pane, level, update));
  }

  private filterKey(ev: KeyEvent): void {
    const s = this.s;
    const view = currentView(s);
    if (ev.kind === 'char' || ev.kind === 'paste') {
      return this.setView(s.pane, view.level, (v) => ({ ...v, filter: v.filter + ev.text.replace(/\n/g, ' '), selected: 0 }));
    }
    const action = actionFor(ev, ['filter']);
    if (action === 'filter-backspace') return this.setView(s.pane, view.level, (v) => ({ ...v, filter: v.filter.slice(0, -1), selected: 0 }));
    if (action === 'filter-clear') {
      this.setView(s.pane, view.level, (v) => ({ ...v, filter: '', selected: 0 }));
      return this.set((st) => ({ ...st, focus: 'pane' }));
    }
    if (action === 'filter-keep') return this.set((st) => ({ ...st, focus: 'pane' }));
  }

  private detailKey(ev: KeyEvent): void {
    const d = this.s.detail!;
    const max = Math.max(0, d.lines.length - 1);
    const moves: Record<string, number> = { 'detail-down': 1, 'detail-up': -1, 'detail-page-down': this.pageSize(), 'detail-page-up': -this.pageSize() };
    const action = actionFor(ev, ['detail']);
    if (action === 'detail-close') return this.set((s) => ({ ...s, detail: null }));
    if (action === null || !(action in moves)) return;
    const scroll = d.scroll + moves[action]!;
    this.set((s) => (s.detail ? { ...s, detail: { ...s.detail, scroll: Math.max(0, Math.min(max, scroll)) } } : s));
  }

  private dialogKey(ev: KeyEvent): void {
    const dialog = this.s.dialog!;
    const close = (ok: boolean) => {
      this.set((s) => ({ ...s, dialog: null }));
      dialog.resolve(ok);
    };
    const typed = (input: string) => this.set((s) => (s.dialog ? { ...s, dialog: { ...s.dialog, input } } : s));
    if (dialog.typeToConfirm === null) {
      const action = actionFor(ev, ['dialog']);
      if (action === 'confirm-yes') return close(true);
      if (action === 'confirm-no') return close(false);
      return;
    }
    if (ev.kind === 'char' || ev.kind === 'paste') return typed(dialog.input + ev.text);
    switch (actionFor(ev, ['dialog-name'])) {
      case 'name-confirm':
        return close(dialog.input === dialog.typeToConfirm);
      case 'name-cancel':
        return close(false);
      case 'name-backspace':
        return typed(dialog.input.slice(0, -1));
    }
  }
}

function drillView(pane: PaneId, plan: Extract<Plan, { kind: 'drill' }>): PaneView {
  return { pane, level: plan.level, title: plan.title, columns: plan.columns, rows: [], fetchedAt: null, error: null, loading: true, selected: 0, filter: '' };
}



/** The pager actions of the key table that move it (`pager-page-down` → `page-down`). */
const PAGER_MOVES: Partial<Record<string, PagerMove>> = { down: 'down', up: 'up', 'page-down': 'page-down', 'page-up': 'page-up', top: 'top', bottom: 'bottom', next: 'next-match', prev: 'prev-match' };

