import { currentView, visibleRows, type ConsoleState } from './state.js';

export const MENU_ROWS = 8;

export interface Layout {
  /** Lines of the pane region and of the output region; together they are `body`. */
  pane: number;
  log: number;
  body: number;
  width: number;
}

/**
 * Splits the terminal into regions. The total is rows − 1, never rows: Ink 6 clears the whole
 * screen (and flickers) once its output reaches the terminal height. The pane takes the lines
 * its rows need (up to 70% of the body, the metrics pane that much always) and the output area
 * every line the pane leaves, so no band of the screen stays empty.
 */
export function layout(s: Pick<ConsoleState, 'rows' | 'cols'> & Partial<ConsoleState>): Layout {
  const usable = Math.max(8, s.rows - 1);
  const fixed = 4; // status bar, tabs, prompt, footer
  const body = usable - fixed;
  const minLog = Math.max(3, Math.floor(body * 0.3));
  const maxPane = Math.max(2, body - minLog);
  const wanted = paneWants(s);
  const pane = Math.max(Math.min(3, maxPane), Math.min(maxPane, wanted ?? maxPane));
  return { pane, log: body - pane, body, width: Math.max(20, s.cols) };
}

/** How far PgUp/PgDn move in a pane's rows or its detail view: the pane less its title, header and a line of context. */
export function panePage(s: Pick<ConsoleState, 'rows' | 'cols'> & Partial<ConsoleState>): number {
  return Math.max(1, layout(s).pane - 3);
}

/** Lines the pane region needs for what it shows, or null for as many as it may have. */
function paneWants(s: Partial<ConsoleState>): number | null {
  if (!s.views || !s.pane) return null;
  if (s.pane === 'metrics') return null;
  if (s.detail) return s.detail.lines.length + 1;
  const view = currentView(s as ConsoleState);
  // Title, warnings, column header, then the rows ("(empty)" takes one line).
  return 2 + ((view.warnings?.length ?? 0) > 0 ? 1 : 0) + Math.max(1, visibleRows(view).length);
}

/** Cuts a plain string to a display width (one column per code point; wide glyphs are rare here). */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/**
 * Cuts a name to a width in its middle, keeping both ends: `http_request_duration_seconds_bucket`
 * and `…_count` differ at the end, which `fit` would cut away.
 */
export function fitMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  const tail = Math.ceil((width - 1) / 2);
  const head = width - 1 - tail;
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - tail).join('');
}

export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = [...text];
  if (chars.length >= width) return fit(text, width);
  const gap = ' '.repeat(width - chars.length);
  return align === 'right' ? gap + text : text + gap;
}

export function age(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, (now - ms) / 1000);
  return s < 10 ? `${s.toFixed(1)}s ago` : s < 120 ? `${Math.round(s)}s ago` : `${Math.round(s / 60)}m ago`;
}
