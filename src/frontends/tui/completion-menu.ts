import { COMMANDS } from '../../commands/table.js';
import { applyCandidate } from '../../shell/completion/apply.js';
import { complete } from '../../shell/completion/complete.js';
import type { CompletionData, CompletionResult } from '../../shell/completion/types.js';
import { lineOf } from '../../shell/line-editor.js';
import { ConsolePart } from './console-part.js';
import { actionFor } from './key-bindings.js';
import type { KeyEvent } from './keys.js';
import type { ConsoleState } from './state.js';
import type { Store } from './store.js';
import { USE_COMMAND } from './use-namespace.js';

/** What the prompt completes: the table's commands and the console's own `use`. */
const PROMPT_COMMANDS = [...COMMANDS, USE_COMMAND];

/** How often an open menu asks again while live names are still on their first fetch. */
const LOADING_POLL_MS = 150;

type Candidate = CompletionResult['items'][number];

/**
 * The prompt's completion: the dim inline hint that follows the line, the menu Tab opens, and the
 * menu's keys (key table context `menu`), which the metrics pane's query editor uses too.
 */
export class CompletionMenu extends ConsolePart {
  private loadingTimer: NodeJS.Timeout | null = null;

  constructor(
    store: Store<ConsoleState>,
    private readonly data: CompletionData,
  ) {
    super(store);
  }

  dispose(): void {
    if (this.loadingTimer) clearTimeout(this.loadingTimer);
  }

  /** Completes the line again after an edit: the hint follows it; the menu opens only when asked. */
  updateHint(open: boolean): void {
    const { text, cursor } = this.s.line;
    const result = text.trim() === '' ? null : this.complete(text, cursor);
    this.set((s) => ({ ...s, completion: result ? { result, selected: 0, open: open && (result.items.length > 0 || result.loading === true) } : null }));
  }

  /** Tab: one choice is inserted, several open the menu, names still loading show `loading…`. */
  open(): void {
    const { text, cursor } = this.s.line;
    const result = this.complete(text, cursor);
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

  /**
   * The open menu's keys (key table context `menu`); false when the key is not one of them.
   * Esc closes the menu (`close`, default: drop it).
   */
  key(ev: KeyEvent, accept: (candidate: Candidate | undefined) => void, close = () => this.set((st) => ({ ...st, completion: null }))): boolean {
    switch (actionFor(ev, ['menu'])) {
      case 'menu-tab': {
        const c = this.s.completion;
        if (c && !c.result.loading && c.result.items.length === 1) accept(c.result.items[0]);
        else this.move(1);
        return true;
      }
      case 'menu-next':
        this.move(1);
        return true;
      case 'menu-prev':
        this.move(-1);
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

  /** The prompt's Enter in the menu: the selected choice goes into the line. */
  accept(): void {
    const c = this.s.completion;
    if (!c) return;
    const candidate = c.result.items[c.selected];
    if (!candidate) return;
    const applied = applyCandidate(this.s.line.text, c.result, candidate);
    this.set((s) => ({ ...s, line: lineOf(applied.text, applied.cursor), completion: null }));
    this.updateHint(false);
  }

  /** The prompt's Esc in the menu: the menu closes, the hint stays. */
  close(): void {
    this.set((st) => ({ ...st, completion: st.completion ? { ...st.completion, open: false } : null }));
  }

  private complete(text: string, cursor: number): CompletionResult {
    return complete(PROMPT_COMMANDS, text, cursor, this.data, 50, this.s.scope);
  }

  /** Asks again while the open menu waits for names, until they arrive or the line changes. */
  private whileLoading(text: string, cursor: number): void {
    if (this.loadingTimer) return;
    const poll = () => {
      this.loadingTimer = null;
      const c = this.s.completion;
      if (!c?.open || !c.result.loading || this.s.line.text !== text || this.s.line.cursor !== cursor) return;
      const result = this.complete(text, cursor);
      this.set((s) => ({ ...s, completion: { result, selected: 0, open: true } }));
      if (result.loading) this.loadingTimer = setTimeout(poll, LOADING_POLL_MS);
    };
    this.loadingTimer = setTimeout(poll, LOADING_POLL_MS);
    this.loadingTimer.unref?.();
  }

  private move(delta: number): void {
    this.set((s) => {
      if (!s.completion) return s;
      const n = s.completion.result.items.length;
      if (n === 0) return s;
      return { ...s, completion: { ...s.completion, selected: (s.completion.selected + delta + n) % n } };
    });
  }
}
