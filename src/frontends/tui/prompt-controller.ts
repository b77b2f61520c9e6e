import type { Scope } from '../../core/scope.js';
import { previous, next, record, searchBack } from '../../shell/history.js';
import { edit, lineOf, EMPTY_LINE, type EditAction } from '../../shell/line-editor.js';
import { withoutYes } from '../../shell/without-yes.js';
import type { CompletionMenu } from './completion-menu.js';
import type { ConsoleHost } from './console-host.js';
import { ConsolePart } from './console-part.js';
import type { ControllerDeps } from './controller-deps.js';
import { actionFor, bindingsFor, editActionFor } from './key-bindings.js';
import type { KeyEvent } from './keys.js';
import { layout } from './layout.js';
import { clampScroll, outputWindow } from './output-lines.js';
import { PANES, type PaneView } from './state.js';
import { isUseLine, runUse } from './use-namespace.js';

/** Lines one wheel notch scrolls the output area. */
const WHEEL_LINES = 3;

/**
 * The prompt: the line and its editor (key table contexts `prompt` and `line`, the completion
 * menu through completion-menu.ts), history and its Ctrl-R search (`search`), the output area's
 * scrolling, and running what is typed or pasted. Lines run with nobody's --yes: each command
 * asks through the console's dialog.
 */
export class PromptController extends ConsolePart {
  constructor(
    private readonly d: Pick<ControllerDeps, 'store' | 'runLine' | 'runScript' | 'namespaces' | 'saveHistory' | 'exit'>,
    private readonly host: ConsoleHost,
    private readonly menu: CompletionMenu,
  ) {
    super(d.store);
  }

  /** A key while the prompt has focus: typing, the open menu's keys, then the `prompt` and `line` bindings. */
  key(ev: KeyEvent): void {
    const s = this.s;
    if (ev.kind === 'paste') {
      if (ev.text.includes('\n')) return void this.runPaste(ev.text);
      return this.editLine({ type: 'insert', text: ev.text });
    }
    if (ev.kind === 'char') {
      // `?` on an empty line is the key list; anywhere else it is a character of the line.
      if (s.line.text === '' && actionFor(ev, ['prompt']) === 'key-help') return this.host.openKeyHelp();
      return this.editLine({ type: 'insert', text: ev.text });
    }
    if (s.completion?.open && this.menu.key(ev, () => this.menu.accept(), () => this.menu.close())) return;
    for (const b of bindingsFor(ev, ['prompt'])) if (this.action(b.action, ev) !== false) return;
    const action = editActionFor(ev);
    if (action) this.editLine(action);
  }

  /** A key during the Ctrl-R search (key table context `search`); typing narrows it. */
  searchKey(ev: KeyEvent): void {
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

  /** Ctrl-C with no command running: the line (and a search) is dropped. */
  clearLine(): void {
    this.set((st) => ({ ...st, line: EMPTY_LINE, completion: null, search: null, focus: st.focus === 'search' ? 'prompt' : st.focus, notice: 'line cleared (Ctrl-D on an empty line exits)' }));
  }

  /** One prompt action from the key table; false when it does not apply here, so the next binding of the key may act. */
  private action(action: string, ev: Extract<KeyEvent, { kind: 'key' }>): void | false {
    const s = this.s;
    switch (action) {
      case 'run':
        return void this.submit();
      case 'complete':
        return this.menu.open();
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
        return this.host.openOutputPager();
      case 'to-panes':
        return this.set((st) => ({ ...st, focus: 'pane', completion: null }));
      case 'pane-jump':
        return this.host.switchPane(PANES[Number(ev.name) - 1]!);
      case 'exit':
        if (s.line.text === '') return this.d.exit();
        return this.editLine({ type: 'delete' });
      default:
        return false;
    }
  }

  private editLine(action: EditAction): void {
    this.set((s) => ({ ...s, line: edit(s.line, action) }));
    this.menu.updateHint(false);
  }

  private historyMove(dir: -1 | 1): void {
    const s = this.s;
    const moved = dir < 0 ? previous(s.history, s.line.text) : next(s.history);
    if (!moved) return;
    this.set((st) => ({ ...st, history: moved.state, line: lineOf(moved.line), completion: null }));
  }

  private updateSearch(query: string, before: number | undefined): void {
    const hit = searchBack(this.s.history, query, before);
    this.set((s) => ({ ...s, search: { query, index: hit ? hit.index : before !== undefined ? (s.search?.index ?? null) : null } }));
  }

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

  private async submit(): Promise<void> {
    const typed = this.s.line.text.trim();
    if (typed === '') return;
    if (this.host.busy()) return;
    // The console asks for every confirmation, so history keeps what a person would type: a
    // recalled line never skips a question. Only argv and replay files may carry --yes.
    const line = withoutYes(typed);
    const history = record(this.s.history, line);
    this.set((s) => ({ ...s, line: EMPTY_LINE, history, completion: null, logScroll: 0, notice: line === typed ? null : '--yes is ignored in the console: it asks instead (use it in scripts and on the command line)' }));
    this.d.saveHistory(history.entries);
    if (line === '') return;
    if (line === 'exit' || line === 'quit') return this.d.exit();
    if (line === 'clear') return this.set((s) => ({ ...s, log: [] }));
    if (isUseLine(line)) return void (await this.host.execute(line, () => this.use(line)));
    await this.host.execute(line, (signal) => this.d.runLine(line, signal));
  }

  /** `use NAMESPACE`, `use --all`, `use`: the console's namespace (see use-namespace.ts). */
  private async use(line: string): Promise<number> {
    const entry = this.host.log({ line, text: '', exitCode: null });
    const namespaces = this.d.namespaces ?? (() => Promise.reject(new Error('this console cannot switch namespaces')));
    const r = await runUse(line, this.s.scope, namespaces).catch((e: unknown) => ({ text: `error: ${(e as Error).message}`, exitCode: 4, scope: undefined }));
    this.host.amendLog(entry, { text: r.text, exitCode: r.exitCode });
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
    if (this.host.busy()) return;
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    this.host.log({ line: null, text: `running a pasted script of ${lines.length} lines`, exitCode: null });
    await this.host.execute(`(pasted script, ${lines.length} lines)`, (signal) => this.d.runScript(text, signal));
  }
}
