import { layout } from './layout.js';
import { gutter, paneLines } from './pane-lines.js';
import { promptLabel } from './prompt-label.js';
import { currentView, PANES, type ConsoleState } from './state.js';
import type { Store } from './store.js';

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const INVERSE = '\x1b[7m';
const RESET = '\x1b[0m';

/**
 * Draws the console with plain escape codes while the Ink view (React, yoga) is still loading:
 * the status line, the tabs, the current pane's list as soon as its data is in (the same lines
 * PaneArea draws, from paneLines), and a live prompt. So the prompt takes keys within a few
 * milliseconds of start and the first full frame does not wait for Ink. Keys go to the same
 * controller as later, so nothing typed during loading is lost; Ink takes over when ready.
 * Attributes only (bold, dim, inverse): colours wait for Ink, which knows the terminal's level.
 */
export function startBootPainter(store: Store<ConsoleState>, write: (s: string) => void, now: () => number = Date.now): () => void {
  let drawn: string[] = [];
  const paint = () => {
    const s = store.get();
    const lines = bootLines(s, now());
    // Only the lines that changed: a keystroke at the prompt rewrites one line, not the screen.
    let out = '';
    for (let i = 0; i < Math.max(lines.length, drawn.length); i++) {
      const line = lines[i] ?? '';
      if (line !== drawn[i]) out += `\x1b[${i + 1};1H\x1b[2K${line}`;
    }
    drawn = lines;
    if (out !== '') write(out);
  };
  write('\x1b[H\x1b[2J');
  paint();
  const unsubscribe = store.subscribe(paint);
  return () => {
    unsubscribe();
    write('\x1b[H\x1b[2J');
  };
}

/** The boot frame, one string per screen line (from the top; '' is a blank line). */
export function bootLines(s: ConsoleState, now: number): string[] {
  const l = layout(s);
  const lines: string[] = new Array(Math.max(2, s.rows - 1)).fill('');
  lines[0] = ` opsdeck  ${s.profile.name}${s.profile.readOnly ? ' [READ-ONLY]' : ''} │ loading the console…`.slice(0, s.cols);
  lines[1] = PANES.map((p, i) => (p === s.pane ? `${INVERSE}${BOLD} ${i + 1} ${p} ${RESET}` : ` ${i + 1} ${p} `)).join('');
  if (s.pane !== 'metrics' && !s.detail) {
    const p = paneLines(s, l.pane, now);
    const pane = [`${BOLD}${p.status}${RESET}${p.error ?? ''}`];
    if (p.warning !== null) pane.push(p.warning);
    pane.push(`${BOLD}${DIM}${p.header}${RESET}`);
    const focused = s.focus === 'pane';
    for (const r of p.rows) pane.push(`${r.selected ? (focused ? INVERSE : BOLD) : ''}${gutter(r)}${r.text}${r.selected ? RESET : ''}`);
    if (p.empty !== null) pane.push(`${DIM}${p.empty}${RESET}`);
    pane.slice(0, l.pane).forEach((line, i) => (lines[2 + i] = line));
  }
  lines[Math.max(2, s.rows - 2) - 1] = `${(promptLabel(s.profile) + s.line.text).slice(0, s.cols - 1)}${INVERSE} ${RESET}`;
  return lines;
}

/**
 * Resolves once the boot frame shows the current pane's first answer (rows or an error), or after
 * `maxWaitMs`. The console loads Ink (about 0.6 MB of React, Ink and yoga to compile) only then:
 * loaded at once, it competes for the one thread with the first read, and the full first frame
 * comes later, not sooner.
 */
export function paneAnswered(store: Store<ConsoleState>, maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const answered = () => {
      const s = store.get();
      const view = currentView(s);
      return s.pane === 'metrics' || view.fetchedAt !== null || view.error !== null || !view.loading;
    };
    if (answered()) return resolve();
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      // Let the boot painter's own listener draw this state first.
      setImmediate(resolve);
    };
    const timer = setTimeout(done, maxWaitMs);
    const unsubscribe = store.subscribe(() => {
      if (answered()) done();
    });
  });
}

