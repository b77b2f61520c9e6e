import type { EditAction } from '../../shell/line-editor.js';
import type { KeyEvent, KeyName } from './keys.js';

/**
 * Every key of the console, as data. The controller dispatches through this table, the footers
 * and the `?` overlay are generated from it, and `test/console/key-bindings.test.ts` checks the
 * README's key tables against it, so what a key does is written once.
 */

/** Where a binding applies. `line` is the line editor (the prompt and the metrics query editor). */
/** `menu` is the completion menu while open, `editor` the metrics pane's inline query and time range editors. */
/** `pager-search` is the pager's `/` line while typed; `dialog-name` a confirmation that wants a name typed (the production profile's). */
export type KeyContext = 'global' | 'prompt' | 'menu' | 'line' | 'search' | 'output' | 'pager' | 'pager-search' | 'bench' | 'help' | 'pane' | 'level' | 'metrics' | 'editor' | 'filter' | 'detail' | 'dialog' | 'dialog-name';

export interface KeyChord {
  /** A printable character, matched as typed (`j`, `?`, `G`). */
  ch?: string;
  /** A named key (`enter`, `pagedown`, `r` with ctrl). */
  name?: KeyName;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

export interface KeyBinding {
  context: KeyContext;
  /** What the controller does: an action id, or `edit:<EditAction type>` for the line editor. */
  action: string;
  keys: KeyChord[];
  /** How the keys are written, when not derived from `keys` (`Alt-1..5`). */
  show?: string[];
  /** One line for the `?` overlay and the README. */
  does: string;
  /** The footer's short form; bindings without one are only in the overlay. */
  footer?: string;
  /** Documentation only: the key is a pane level's own action (pane-levels.ts holds it). */
  levelAction?: boolean;
  /** For level actions: the pane whose levels have it, in the README's words ("services → instances"). */
  where?: string;
}

const ch = (c: string): KeyChord => ({ ch: c });
const key = (name: KeyName, mods: Omit<KeyChord, 'name' | 'ch'> = {}): KeyChord => ({ name, ...mods });
const ctrl = (name: KeyName): KeyChord => ({ name, ctrl: true });
const alt = (name: KeyName): KeyChord => ({ name, meta: true });
const edit = (type: EditAction['type']): string => `edit:${type}`;

export const KEY_BINDINGS: readonly KeyBinding[] = [
  // ----- everywhere -----
  { context: 'global', action: 'cancel', keys: [ctrl('c')], does: 'cancel the running command, or clear the line' },
  { context: 'global', action: 'redraw', keys: [ctrl('l')], does: 'redraw the screen' },

  // ----- the prompt -----
  { context: 'prompt', action: 'run', keys: [key('enter')], does: 'run the line' },
  { context: 'prompt', action: 'complete', keys: [key('tab')], does: 'complete: commands, flags, flag values and live data; a menu when several match', footer: 'Tab complete' },
  { context: 'prompt', action: 'key-help', keys: [ch('?')], does: 'on an empty line: this list of keys', footer: '? keys' },
  { context: 'prompt', action: 'to-panes', keys: [key('escape')], does: 'go to the panes', footer: 'Esc panes' },
  { context: 'prompt', action: 'pane-jump', keys: ['1', '2', '3', '4', '5', '6'].map((n) => alt(n as KeyName)), show: ['Alt-1..6'], does: 'jump to a pane (services, config, locks, metrics, tx, caches)', footer: 'Alt-1..6 pane' },
  { context: 'prompt', action: 'output-up', keys: [key('pageup')], does: 'scroll the output back a page', footer: 'PgUp/PgDn output' },
  { context: 'prompt', action: 'output-down', keys: [key('pagedown')], does: 'scroll the output forward a page, back to the newest' },
  { context: 'prompt', action: 'output-wheel-up', keys: [key('wheelup')], does: 'with OPSDECK_MOUSE=1: scroll the output back 3 lines' },
  { context: 'prompt', action: 'output-wheel-down', keys: [key('wheeldown')], does: 'with OPSDECK_MOUSE=1: scroll the output forward 3 lines' },
  { context: 'prompt', action: 'output-pager', keys: [ctrl('o')], does: 'read the output shown in the pager (search with /, o for $PAGER)', footer: 'Ctrl-O pager' },
  { context: 'prompt', action: 'history-back', keys: [key('up'), ctrl('p')], does: 'older history line', footer: '↑↓ history' },
  { context: 'prompt', action: 'history-forward', keys: [key('down'), ctrl('n')], does: 'newer history line' },
  { context: 'prompt', action: 'history-search', keys: [ctrl('r')], does: 'search the history backwards', footer: 'Ctrl-R search' },
  { context: 'prompt', action: 'accept-hint', keys: [key('right')], does: 'at the end of the line: accept the dim inline hint' },
  { context: 'prompt', action: 'exit', keys: [ctrl('d')], does: 'on an empty line: leave the console (so does `exit`)', footer: 'Ctrl-D exit' },

  // ----- the completion menu, while it is open (prompt and query editor) -----
  // Shift-Tab comes first: a chord without `shift` matches either.
  { context: 'menu', action: 'menu-prev', keys: [key('tab', { shift: true }), key('up'), ctrl('p')], show: ['Shift-Tab', '↑', 'Ctrl-P'], does: 'previous choice' },
  // Tab on a menu of one choice (names that were still loading when it opened) takes it, as a
  // Tab with one choice does on a closed menu.
  { context: 'menu', action: 'menu-tab', keys: [key('tab')], does: 'next choice; the only one goes into the line' },
  { context: 'menu', action: 'menu-next', keys: [key('down'), ctrl('n')], does: 'next choice' },
  { context: 'menu', action: 'menu-accept', keys: [key('enter')], does: 'take the choice' },
  { context: 'menu', action: 'menu-close', keys: [key('escape')], does: 'close the menu' },

  // ----- the line editor (prompt and query editor) -----
  { context: 'line', action: edit('home'), keys: [ctrl('a'), key('home')], does: 'start of the line' },
  { context: 'line', action: edit('end'), keys: [ctrl('e'), key('end')], does: 'end of the line' },
  { context: 'line', action: edit('left'), keys: [ctrl('b'), key('left')], does: 'back a character' },
  { context: 'line', action: edit('right'), keys: [ctrl('f'), key('right')], does: 'forward a character' },
  { context: 'line', action: edit('word-left'), keys: [alt('b'), alt('left'), key('left', { ctrl: true })], does: 'back a word' },
  { context: 'line', action: edit('word-right'), keys: [alt('f'), alt('right'), key('right', { ctrl: true })], does: 'forward a word' },
  { context: 'line', action: edit('kill-to-end'), keys: [ctrl('k')], does: 'kill to the end of the line' },
  { context: 'line', action: edit('kill-to-start'), keys: [ctrl('u')], does: 'kill to the start of the line' },
  { context: 'line', action: edit('kill-word-back'), keys: [ctrl('w'), alt('backspace')], does: 'kill the word before the cursor' },
  { context: 'line', action: edit('kill-word-forward'), keys: [alt('d')], does: 'kill the word after the cursor' },
  { context: 'line', action: edit('yank'), keys: [ctrl('y')], does: 'yank (paste) the last kill' },
  { context: 'line', action: edit('transpose'), keys: [ctrl('t')], does: 'swap the characters around the cursor' },
  { context: 'line', action: edit('backspace'), keys: [key('backspace'), ctrl('h')], does: 'delete the character before the cursor' },
  { context: 'line', action: edit('delete'), keys: [key('delete')], does: 'delete the character under the cursor' },

  // ----- Ctrl-R history search -----
  { context: 'search', action: 'search-older', keys: [ctrl('r')], does: 'older match', footer: 'type to search history · Ctrl-R older' },
  { context: 'search', action: 'search-run', keys: [key('enter')], does: 'run the match', footer: 'Enter run' },
  { context: 'search', action: 'search-cancel', keys: [key('escape'), ctrl('g')], does: 'back to the line as it was', footer: 'Esc cancel' },
  { context: 'search', action: 'search-backspace', keys: [key('backspace')], does: 'delete the last character of the search' },

  // ----- the live view of `bench` typed at the prompt -----
  { context: 'bench', action: 'bench-stop', keys: [ch('q'), key('escape')], does: 'stop the load and close the view; the summary so far stays in the output area', footer: 'q/Esc stop and close' },
  // ----- the pager (Ctrl-O) -----
  { context: 'pager', action: 'pager-down', keys: [ch('j'), key('down'), key('enter'), key('wheeldown')], does: 'down a line', footer: 'j/k scroll' },
  { context: 'pager', action: 'pager-up', keys: [ch('k'), key('up'), key('wheelup')], does: 'up a line' },
  { context: 'pager', action: 'pager-page-down', keys: [key('pagedown'), ch(' '), ctrl('f')], show: ['PgDn', 'Space', 'Ctrl-F'], does: 'down a page', footer: 'PgUp/PgDn page' },
  { context: 'pager', action: 'pager-page-up', keys: [key('pageup'), ch('b'), ctrl('b')], does: 'up a page' },
  { context: 'pager', action: 'pager-top', keys: [ch('g'), key('home')], does: 'first line', footer: 'g/G ends' },
  { context: 'pager', action: 'pager-bottom', keys: [ch('G'), key('end')], does: 'last line' },
  { context: 'pager', action: 'pager-search', keys: [ch('/')], does: 'search (type, Enter goes to the first match, Esc cancels)', footer: '/ search · n/N next/prev' },
  { context: 'pager', action: 'pager-next', keys: [ch('n')], does: 'next match' },
  { context: 'pager', action: 'pager-prev', keys: [ch('N')], does: 'previous match' },
  { context: 'pager', action: 'pager-external', keys: [ch('o')], does: 'open the text in $PAGER (default less)', footer: 'o $PAGER' },
  { context: 'pager', action: 'pager-close', keys: [ch('q'), key('escape')], does: 'close the pager', footer: 'q/Esc close' },
  // ----- the pager's search line, while / is typed -----
  { context: 'pager-search', action: 'pager-find', keys: [key('enter')], does: 'go to the first match', footer: 'type to search · Enter find' },
  { context: 'pager-search', action: 'pager-search-cancel', keys: [key('escape')], does: 'leave the search as it was', footer: 'Esc cancel' },
  { context: 'pager-search', action: 'pager-search-backspace', keys: [key('backspace')], does: 'delete the last character' },

  // ----- the ? overlay -----
  { context: 'help', action: 'help-scroll-down', keys: [key('down'), key('wheeldown')], does: 'scroll down', footer: 'type to search · ↑↓ scroll' },
  { context: 'help', action: 'help-scroll-up', keys: [key('up'), key('wheelup')], does: 'scroll up' },
  { context: 'help', action: 'help-page-down', keys: [key('pagedown')], does: 'down a page' },
  { context: 'help', action: 'help-page-up', keys: [key('pageup')], does: 'up a page' },
  { context: 'help', action: 'help-all', keys: [key('tab')], does: "show every context's keys, or only this one's", footer: 'Tab all/this pane' },
  { context: 'help', action: 'help-close', keys: [key('escape')], does: 'clear the search, then close', footer: 'Esc close' },
  { context: 'help', action: 'help-backspace', keys: [key('backspace')], does: 'delete the last character of the search' },

  // ----- every list pane -----
  { context: 'pane', action: 'pane-jump', keys: ['1', '2', '3', '4', '5', '6'].map(ch), does: 'services, config, locks, metrics, transactions, caches', footer: '1-6/Tab panes' },
  { context: 'pane', action: 'pane-next', keys: [key('tab', { shift: false })], does: 'next pane' },
  { context: 'pane', action: 'pane-prev', keys: [key('tab', { shift: true })], show: ['Shift-Tab'], does: 'previous pane' },
  { context: 'pane', action: 'row-down', keys: [ch('j'), key('down')], does: 'next row', footer: 'j/k move' },
  { context: 'pane', action: 'row-up', keys: [ch('k'), key('up')], does: 'previous row' },
  { context: 'pane', action: 'row-first', keys: [ch('g'), key('home')], does: 'first row' },
  { context: 'pane', action: 'row-last', keys: [ch('G'), key('end')], does: 'last row' },
  { context: 'pane', action: 'row-page-down', keys: [key('pagedown'), ctrl('f')], does: 'down a page' },
  { context: 'pane', action: 'row-page-up', keys: [key('pageup'), ctrl('b')], does: 'up a page' },
  { context: 'pane', action: 'filter', keys: [ch('/')], does: 'filter (every word must match; Esc clears)', footer: '/ filter' },
  { context: 'pane', action: 'sort-next', keys: [ch('s')], does: 'sort by the next column (the header marks it ▲/▼), then back to the loaded order; numbers and durations by value, text ignoring case', footer: 's/S sort' },
  { context: 'pane', action: 'sort-reverse', keys: [ch('S')], does: 'reverse the sort (unsorted: the first column, high to low)' },
  { context: 'pane', action: 'open', keys: [key('enter')], does: "open: a service's instances, a config's content, a version's content, a lock's details, a transaction's branches and row locks, a cache's charts over the last hour (hit ratio, lookups/s, evictions/s)", footer: 'Enter open' },
  { context: 'pane', action: 'mark', keys: [ch('v')], does: 'config history: mark an entry (`•`); `d` on another then diffs from the marked one to it', footer: 'v mark for diff' },
  { context: 'pane', action: 'namespace', keys: [ch('n')], does: 'panes 1 and 2: switch namespace (the prompt opens with `use ` and the namespaces); shown where the backends have namespaces', footer: 'n namespace' },
  { context: 'pane', action: 'back', keys: [key('escape'), key('backspace')], does: 'back one level, then clear the filter, then to the prompt', footer: 'Esc back' },
  { context: 'pane', action: 'to-prompt', keys: [ch(':'), ch('i')], does: 'to the prompt' },
  { context: 'pane', action: 'refresh', keys: [ch('R')], does: 'refresh now', footer: 'R refresh' },
  { context: 'pane', action: 'key-help', keys: [ch('?')], does: "this list of keys, this pane's first", footer: '? keys' },

  // ----- pane levels' own keys (their actions live in pane-levels.ts; listed here for the footer, overlay and README) -----
  { context: 'level', where: 'services → instances', action: 'level', levelAction: true, keys: [ch('d'), ch('u'), ch('x')], does: 'drain, undrain, deregister (asks first; keys a registry cannot do are hidden)' },
  { context: 'level', where: 'services', action: 'level', levelAction: true, keys: [ch('D')], does: 'the drift view: where the registries and Prometheus disagree (what `services drift` shows)' },
  { context: 'level', where: 'services, instances', action: 'level', levelAction: true, keys: [ch('m')], does: "open the metrics pane on the service's standard queries" },
  { context: 'level', where: 'config', action: 'level', levelAction: true, keys: [ch('e'), ch('h'), ch('l')], does: 'edit in $VISUAL/$EDITOR (review, confirm, compare-and-set), history, listeners' },
  { context: 'level', where: 'config history', action: 'level', levelAction: true, keys: [ch('d'), ch('r')], does: 'diff from the marked entry (v) to this one, else with the entry before; roll back to it' },
  { context: 'level', where: 'locks', action: 'level', levelAction: true, keys: [ch('r'), ch('f')], does: "release as this console's owner; force release (only if the holder is still the one shown)" },

  // ----- the metrics pane -----
  { context: 'metrics', action: 'query-add', keys: [ch('a')], does: 'add a query in the inline editor (Enter keeps, Esc cancels)', footer: 'a add' },
  { context: 'metrics', action: 'query-edit', keys: [ch('e'), key('enter')], does: 'edit the selected query', footer: 'e edit' },
  { context: 'metrics', action: 'query-remove', keys: [ch('d'), ch('x'), key('delete')], does: 'remove the selected query', footer: 'd remove' },
  { context: 'metrics', action: 'query-down', keys: [ch('j'), key('down')], does: 'select the next query', footer: 'j/k select' },
  { context: 'metrics', action: 'query-up', keys: [ch('k'), key('up')], does: 'select the previous query' },
  { context: 'metrics', action: 'query-first', keys: [ch('g'), key('home')], does: 'select the first query' },
  { context: 'metrics', action: 'query-last', keys: [ch('G'), key('end')], does: 'select the last query' },
  { context: 'metrics', action: 'chart-mode', keys: [ch('b')], does: 'braille or block charts', footer: 'b chart style' },
  { context: 'metrics', action: 'interval-longer', keys: [ch('+'), ch('=')], show: ['+', '-'], does: 'refresh less or more often (1 s … 5 m; default 5 s)', footer: '+/- interval' },
  { context: 'metrics', action: 'interval-shorter', keys: [ch('-')], show: [], does: 'refresh more often' },
  { context: 'metrics', action: 'range-longer', keys: [ch('>')], show: ['>', '<'], does: 'longer or shorter time range (5 m … 7 d; default 1 h)', footer: '</> range' },
  { context: 'metrics', action: 'range-shorter', keys: [ch('<')], show: [], does: 'shorter time range' },
  { context: 'metrics', action: 'range-type', keys: [ch('t')], does: 'type the time range: `1h`, `30m`, `2d` (ending now) or `2026-12-07T10:00/2h` (a start in local time, or with Z, and a length); Enter keeps, Esc cancels', footer: 't type range' },
  { context: 'metrics', action: 'cursor-left', keys: [key('left')], show: ['←', '→'], does: "a cursor on the selected chart: the time and each series' value at it in the legend; ← past the start or Esc clears it", footer: '←/→ cursor' },
  { context: 'metrics', action: 'cursor-right', keys: [key('right')], show: [], does: 'move the chart cursor right' },
  { context: 'metrics', action: 'refresh', keys: [ch('R')], does: 'refresh now', footer: 'R refresh' },
  { context: 'metrics', action: 'save-list', keys: [ch('S')], does: "save the list shown (a watch's, a service's) as this profile's saved queries", footer: 'S save list' },
  { context: 'metrics', action: 'back', keys: [key('escape'), key('backspace')], does: "from a watch's or a service's list back to the saved queries, then to the prompt", footer: 'Esc back' },
  { context: 'metrics', action: 'no-filter', keys: [ch('/')], does: 'the metrics pane has no filter: edit a query instead' },
  { context: 'editor', action: 'editor-complete', keys: [key('tab')], does: 'complete metric names, labels, values and functions (the prompt\'s PromQL completion)' },
  { context: 'editor', action: 'editor-keep', keys: [key('enter')], does: 'keep the query or time range' },
  { context: 'editor', action: 'editor-cancel', keys: [key('escape')], does: 'cancel the edit' },

  // ----- filter, detail view, confirmation -----
  { context: 'filter', action: 'filter-keep', keys: [key('enter')], does: 'keep the filter, back to the rows', footer: 'type to filter · Enter keep' },
  { context: 'filter', action: 'filter-clear', keys: [key('escape')], does: 'clear the filter', footer: 'Esc clear' },
  { context: 'filter', action: 'filter-backspace', keys: [key('backspace')], does: 'delete the last character of the filter' },
  { context: 'detail', action: 'detail-down', keys: [ch('j'), key('down'), key('wheeldown')], does: 'scroll down', footer: 'j/k scroll' },
  { context: 'detail', action: 'detail-up', keys: [ch('k'), key('up'), key('wheelup')], does: 'scroll up' },
  { context: 'detail', action: 'detail-page-down', keys: [key('pagedown')], does: 'down a page', footer: 'PgUp/PgDn page' },
  { context: 'detail', action: 'detail-page-up', keys: [key('pageup')], does: 'up a page' },
  { context: 'detail', action: 'detail-close', keys: [key('escape'), ch('q'), key('enter'), key('backspace')], does: 'close', footer: 'Esc close' },
  { context: 'dialog', action: 'confirm-yes', keys: [ch('y'), ch('Y')], does: 'confirm (a typed-name question wants the name, then Enter)', footer: 'y confirm' },
  { context: 'dialog', action: 'confirm-no', keys: [ch('n'), ch('N'), key('enter'), key('escape'), ctrl('c')], does: 'cancel', footer: 'n/Enter/Esc cancel' },
  // A typed-name question takes the name and Enter; y would be typed into it. The footer puts `type NAME then` first.
  { context: 'dialog-name', action: 'name-confirm', keys: [key('enter')], does: 'confirm, when what was typed is the name asked for (else cancel)', footer: 'Enter to confirm' },
  { context: 'dialog-name', action: 'name-cancel', keys: [key('escape'), ctrl('c')], does: 'cancel', footer: 'Esc cancels' },
  { context: 'dialog-name', action: 'name-backspace', keys: [key('backspace')], does: 'delete the last character typed' },
];

/** Overlay titles of the contexts, in the order the overlay lists them. */
export const CONTEXT_TITLES: Readonly<Record<KeyContext, string>> = {
  global: 'everywhere',
  prompt: 'prompt',
  menu: 'completion menu',
  line: 'line editing (prompt, query editor)',
  search: 'history search (Ctrl-R)',
  output: 'output',
  pager: 'pager (Ctrl-O)',
  'pager-search': 'pager search (/)',
  bench: 'bench live view',
  help: 'this list (?)',
  pane: 'panes',
  level: "pane rows' own keys",
  metrics: 'metrics pane',
  editor: 'query and time range editor (metrics pane)',
  filter: 'pane filter (/)',
  detail: 'detail view',
  dialog: 'confirmation',
  'dialog-name': 'typed-name confirmation',
};

function chordMatches(c: KeyChord, ev: KeyEvent): boolean {
  if (c.ch !== undefined) return ev.kind === 'char' && ev.text === c.ch;
  if (ev.kind !== 'key' || c.name !== ev.name) return false;
  if ((c.ctrl ?? false) !== ev.ctrl || (c.meta ?? false) !== ev.meta) return false;
  return c.shift === undefined || c.shift === ev.shift;
}

/** The bindings of these contexts the event matches, in table order (a handler may decline one and let the next act). */
export function bindingsFor(ev: KeyEvent, contexts: readonly KeyContext[]): KeyBinding[] {
  const out: KeyBinding[] = [];
  for (const context of contexts) for (const b of KEY_BINDINGS) if (b.context === context && !b.levelAction && b.keys.some((k) => chordMatches(k, ev))) out.push(b);
  return out;
}

/** The first action id the event has in these contexts, or null. */
export function actionFor(ev: KeyEvent, contexts: readonly KeyContext[]): string | null {
  return bindingsFor(ev, contexts)[0]?.action ?? null;
}

/** The line editor's action for a key, from the `line` bindings. */
export function editActionFor(ev: KeyEvent): EditAction | null {
  const action = actionFor(ev, ['line']);
  return action?.startsWith('edit:') ? ({ type: action.slice(5) } as EditAction) : null;
}

const KEY_NAMES: Partial<Record<KeyName, string>> = {
  enter: 'Enter', tab: 'Tab', backspace: 'Backspace', delete: 'Delete', escape: 'Esc', up: '↑', down: '↓', left: '←', right: '→',
  home: 'Home', end: 'End', pageup: 'PgUp', pagedown: 'PgDn', wheelup: 'wheel↑', wheeldown: 'wheel↓',
};

/** How a chord is written: `j`, `Ctrl-R`, `Alt-B`, `PgDn`. */
export function chordLabel(c: KeyChord): string {
  if (c.ch !== undefined) return c.ch === ' ' ? 'Space' : c.ch;
  const base = KEY_NAMES[c.name!] ?? c.name!.toUpperCase();
  return `${c.ctrl ? 'Ctrl-' : ''}${c.meta ? 'Alt-' : ''}${base}`;
}

/** A binding's keys as written, without repeats. */
export function keysLabel(b: KeyBinding): string[] {
  return b.show ?? [...new Set(b.keys.map(chordLabel))];
}

/** The footer labels of a context's bindings, in table order, for the actions `keep` allows. */
export function footerLabels(context: KeyContext, keep: (action: string) => boolean = () => true): string[] {
  return KEY_BINDINGS.filter((b) => b.context === context && b.footer && keep(b.action)).map((b) => b.footer!);
}

/** The README's key tables, each the bindings of these contexts (checked by test/console/key-bindings.test.ts). */
export const README_KEY_TABLES = {
  prompt: ['prompt', 'menu', 'line', 'search', 'global'],
  output: ['pager', 'pager-search', 'bench', 'help'],
  panes: ['pane', 'level', 'filter', 'detail', 'dialog', 'dialog-name'],
  metrics: ['metrics', 'editor'],
} as const satisfies Record<string, readonly KeyContext[]>;

/**
 * A README key table as markdown: one row per binding, its keys in backticks. Rows of a context
 * other than the table's first say which (`pane filter (/): …`).
 */
export function keyTableMarkdown(table: keyof typeof README_KEY_TABLES): string {
  const contexts: readonly KeyContext[] = README_KEY_TABLES[table];
  const rows = contexts.flatMap((context, i) =>
    KEY_BINDINGS.filter((b) => b.context === context && keysLabel(b).length > 0).map((b) => {
      const keys = keysLabel(b).map((k) => `\`${k}\``).join(' ');
      const where = b.where ? `${b.where}: ` : '';
      const what = i > 0 && !b.where ? `${CONTEXT_TITLES[context]}: ${b.does}` : b.does;
      return `| ${where}${keys} | ${what} |`;
    }),
  );
  return ['| key | does |', '| --- | --- |', ...rows].join('\n');
}
