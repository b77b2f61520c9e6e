import type { LogEntry } from './state.js';

/** One display line of the output area: a command echo or a (wrapped) line of its output. */
export interface OutputLine {
  key: string;
  text: string;
  /** The command echo (`› line`), coloured by its exit code. */
  cmd: boolean;
  code: number | null;
  /** The log entry the line belongs to, so Ctrl-O can open that entry in the pager. */
  entry: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Wraps one line to `width` display columns, at the last space when there is one in the line,
 * else mid-word. Colour codes do not count towards the width; a colour open at a break is closed
 * at the end of the line and opened again on the next, so no colour bleeds into other regions.
 */
export function wrapLine(line: string, width: number): string[] {
  const w = Math.max(1, width);
  if (!line.includes('\x1b') && [...line].length <= w) return [line];
  const tokens: Array<{ esc: boolean; text: string }> = [];
  let last = 0;
  for (const m of line.matchAll(ANSI)) {
    for (const ch of line.slice(last, m.index)) tokens.push({ esc: false, text: ch });
    tokens.push({ esc: true, text: m[0] });
    last = m.index + m[0].length;
  }
  for (const ch of line.slice(last)) tokens.push({ esc: false, text: ch });
  if (tokens.filter((t) => !t.esc).length <= w) return [line];

  const out: string[] = [];
  let cur: Array<{ esc: boolean; text: string }> = [];
  let visible = 0;
  let openAtStart: string[] = [];
  const flush = (upTo: number) => {
    const taken = cur.slice(0, upTo);
    const rest = cur.slice(upTo);
    // Colours still open at the break: close them here, reopen them on the next line.
    const openHere = [...openAtStart];
    for (const t of taken) if (t.esc) trackSgr(openHere, t.text);
    const text = openAtStart.join('') + taken.map((t) => t.text).join('') + (openHere.length > 0 ? '\x1b[0m' : '');
    out.push(text.replace(/ +$/, ''));
    openAtStart = openHere;
    // A space at the break is eaten by the break.
    while (rest.length > 0 && !rest[0]!.esc && rest[0]!.text === ' ') rest.shift();
    cur = rest;
    visible = rest.filter((t) => !t.esc).length;
  };
  for (const t of tokens) {
    cur.push(t);
    if (t.esc) continue;
    visible++;
    if (visible > w) {
      // Break after the last space of the line, when the line has one past its first quarter.
      let at = -1;
      let seen = 0;
      for (let i = 0; i < cur.length - 1; i++) {
        if (cur[i]!.esc) continue;
        seen++;
        if (cur[i]!.text === ' ' && seen > w / 4) at = i + 1;
      }
      flush(at > 0 ? at : cur.length - 1);
    }
  }
  if (cur.length > 0 || out.length === 0) {
    const text = openAtStart.join('') + cur.map((t) => t.text).join('');
    out.push(text);
  }
  return out;
}

function trackSgr(open: string[], code: string): void {
  if (!code.endsWith('m')) return;
  if (code === '\x1b[0m' || code === '\x1b[m') open.length = 0;
  else open.push(code);
}

/** Columns of a table: text, a gap of two or more spaces, more text. */
const TABULAR = /\S {2,}\S/;

/**
 * How an output line fits the width: prose (errors, hints, warnings, messages) wraps so no word
 * is lost; a table row too wide is cut with `…` instead, because a wrapped row breaks its columns
 * (Ctrl-O shows it whole in the pager), unless its last column can wrap under itself.
 */
export function fitOutputLine(line: string, width: number, o: { cut?: boolean } = {}): string[] {
  const plain = stripAnsi(line);
  if ([...plain].length <= width) return [line];
  if (!TABULAR.test(plain)) return wrapLine(line, width);
  // A row whose last column starts in the left half (a name and its description, as in help)
  // wraps that column under itself; a wide table row is cut.
  const gaps = [...plain.matchAll(/ {2,}(?=\S)/g)];
  const lastGap = gaps[gaps.length - 1]!;
  const indent = [...plain.slice(0, lastGap.index + lastGap[0].length)].length;
  if (indent > width / 2) return o.cut === false ? wrapLine(line, width) : [cutLine(line, width)];
  const [first, ...rest] = wrapLine(line, width);
  if (rest.length === 0) return [first!];
  return [first!, ...wrapLine(rest.join(' '), width - indent).map((l) => ' '.repeat(indent) + l)];
}

/** Cuts a line to `width` display columns, the last one `…`, keeping its colour codes balanced. */
export function cutLine(line: string, width: number): string {
  let out = '';
  let visible = 0;
  let last = 0;
  let coloured = false;
  const take = (text: string): boolean => {
    for (const ch of text) {
      if (visible === width - 1) return false;
      out += ch;
      visible++;
    }
    return true;
  };
  for (const m of line.matchAll(ANSI)) {
    if (!take(line.slice(last, m.index))) return `${out}…${coloured ? '\x1b[0m' : ''}`;
    out += m[0];
    coloured = !(m[0] === '\x1b[0m' || m[0] === '\x1b[m');
    last = m.index + m[0].length;
  }
  return take(line.slice(last)) ? out : `${out}…${coloured ? '\x1b[0m' : ''}`;
}

const wrapped = new WeakMap<LogEntry, { width: number; lines: OutputLine[] }>();

/** The display lines of one log entry at a width, cached per entry (entries are replaced, never mutated). */
export function entryLines(e: LogEntry, width: number): OutputLine[] {
  const hit = wrapped.get(e);
  if (hit && hit.width === width) return hit.lines;
  const lines: OutputLine[] = [];
  if (e.line !== null) {
    const echo = `› ${e.line}${e.exitCode !== null && e.exitCode !== 0 ? `  [exit ${e.exitCode}]` : ''}`;
    wrapLine(echo, width).forEach((t, i) => lines.push({ key: `${e.id}c${i}`, text: t, cmd: true, code: e.exitCode, entry: e.id }));
  }
  const body = e.text.replace(/\n$/, '');
  if (body !== '' || e.line === null) {
    let n = 0;
    for (const raw of body.split('\n')) for (const t of fitOutputLine(raw, width)) lines.push({ key: `${e.id}.${n++}`, text: t, cmd: false, code: null, entry: e.id });
  }
  wrapped.set(e, { width, lines });
  return lines;
}

export interface OutputWindow {
  /** The lines to draw, oldest first. */
  lines: OutputLine[];
  /** Lines above the window (older), and below it (newer, when scrolled back). */
  above: number;
  below: number;
  /** All display lines of the log. */
  total: number;
}

/**
 * The part of the log the output area shows: `height` lines ending `scroll` lines above the
 * newest. When lines are hidden, one line of the window is given to saying so.
 */
export function outputWindow(log: readonly LogEntry[], width: number, height: number, scroll: number): OutputWindow {
  const all: OutputLine[] = [];
  for (const e of log) for (const l of entryLines(e, width)) all.push(l);
  const total = all.length;
  const h = Math.max(1, height);
  const s = clampScroll(scroll, total, h);
  const end = total - s;
  // When anything is hidden, one line of the area says so, and h − 1 lines of output show.
  const start = s > 0 || end > h ? Math.max(0, end - (h - 1)) : Math.max(0, end - h);
  return { lines: all.slice(start, end), above: start, below: total - end, total };
}

/** The furthest the output can scroll back: its first line at the top of the area. */
export function clampScroll(scroll: number, total: number, height: number): number {
  return Math.max(0, Math.min(scroll, Math.max(0, total - height + 1)));
}
