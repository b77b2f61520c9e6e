import type { ConsoleHost } from './console-host.js';
import { ConsolePart } from './console-part.js';
import type { ControllerDeps } from './controller-deps.js';
import { actionFor } from './key-bindings.js';
import { keyHelpLines, openKeyHelp, type KeyHelpState } from './key-help.js';
import type { KeyEvent } from './keys.js';
import { layout, panePage } from './layout.js';
import { outputWindow } from './output-lines.js';
import { findMatch, movePager, openPager, pagerLines, type PagerMove, type PagerState } from './pager.js';
import { levelOf } from './pane-levels.js';
import { currentView } from './state.js';

/** The pager actions of the key table that move it (`pager-page-down` → `page-down`). */
const PAGER_MOVES: Partial<Record<string, PagerMove>> = { down: 'down', up: 'up', 'page-down': 'page-down', 'page-up': 'page-up', top: 'top', bottom: 'bottom', next: 'next-match', prev: 'prev-match' };

/**
 * What covers the screen and takes every key while it is open: the confirmation dialog (key
 * table contexts `dialog` and `dialog-name`), the `?` overlay (`help`), the pager (`pager`,
 * `pager-search`) and a row's detail view (`detail`).
 */
export class OverlayController extends ConsolePart {
  constructor(
    private readonly d: Pick<ControllerDeps, 'store' | 'openPager'>,
    private readonly host: Pick<ConsoleHost, 'notice'>,
  ) {
    super(d.store);
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

  /** y/N, or a typed name then Enter; every way out answers the question. */
  dialogKey(ev: KeyEvent): void {
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

  /** The `?` overlay of the place the user is in: the prompt, or the pane (with its level's keys). */
  openKeyHelp(): void {
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

  /** Typing searches the overlay; the `help` bindings scroll and close it. */
  keyHelpKey(ev: KeyEvent): void {
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

  /** Opens the output in the pager: the newest result, or the one at the bottom of the scrolled-back area. */
  openOutputPager(): void {
    const s = this.s;
    const l = layout(s);
    const shown = outputWindow(s.log, l.width, l.log, s.logScroll).lines;
    const id = shown[shown.length - 1]?.entry;
    const entry = s.log.find((e) => e.id === id);
    if (!entry) return this.host.notice('no output yet: run a command, then Ctrl-O reads it here');
    this.set((st) => ({ ...st, pager: openPager(entry.line === null ? 'output' : `› ${entry.line}`, entry.text), completion: null }));
  }

  /** The pager's keys (`pager`), or its search line's (`pager-search`) while `/` is typed. */
  pagerKey(ev: KeyEvent): void {
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

  /** A row's detail view (`detail`): scrolls, and closes. */
  detailKey(ev: KeyEvent): void {
    const d = this.s.detail!;
    const max = Math.max(0, d.lines.length - 1);
    const page = panePage(this.s);
    const moves: Record<string, number> = { 'detail-down': 1, 'detail-up': -1, 'detail-page-down': page, 'detail-page-up': -page };
    const action = actionFor(ev, ['detail']);
    if (action === 'detail-close') return this.set((s) => ({ ...s, detail: null }));
    if (action === null || !(action in moves)) return;
    const scroll = d.scroll + moves[action]!;
    this.set((s) => (s.detail ? { ...s, detail: { ...s.detail, scroll: Math.max(0, Math.min(max, scroll)) } } : s));
  }
}
