import { CONTEXT_TITLES, KEY_BINDINGS, keysLabel, type KeyBinding, type KeyContext } from './key-bindings.js';
import type { PaneAction } from './pane-levels.js';

/** The `?` overlay: the keys of the place it was opened from first, searchable. */
export interface KeyHelpState {
  /** The contexts of where `?` was pressed, most specific first. */
  contexts: KeyContext[];
  /** What opened it, for the title ("services pane", "prompt"). */
  place: string;
  /** The open level's own keys (a pane row's actions), shown with the pane's. */
  levelKeys: Array<{ key: string; label: string }>;
  query: string;
  /** Every context, not just this place's. */
  all: boolean;
  scroll: number;
}

export function openKeyHelp(contexts: KeyContext[], place: string, actions: readonly Pick<PaneAction, 'key' | 'label'>[] = []): KeyHelpState {
  return { contexts, place, levelKeys: actions.map((a) => ({ key: a.key, label: a.label })), query: '', all: false, scroll: 0 };
}

export interface HelpLine {
  text: string;
  heading: boolean;
}

const bindingLine = (b: KeyBinding): string => `  ${(keysLabel(b).join(' ') || ' ').padEnd(22)} ${b.where ? `${b.where}: ` : ''}${b.does}`;

/**
 * The overlay's lines: a heading per context, then its keys. The place's own contexts come
 * first; with `all` every other context follows. A query keeps the lines (keys or words) that
 * hold every word of it, under their headings.
 */
export function keyHelpLines(h: KeyHelpState): HelpLine[] {
  const order: KeyContext[] = [...h.contexts, ...(h.all ? (Object.keys(CONTEXT_TITLES) as KeyContext[]).filter((c) => !h.contexts.includes(c)) : [])];
  const words = h.query.toLowerCase().split(/\s+/).filter(Boolean);
  const keep = (line: string) => words.every((w) => line.toLowerCase().includes(w));
  const out: HelpLine[] = [];
  for (const context of order) {
    const lines = KEY_BINDINGS.filter((b) => b.context === context).map(bindingLine);
    if (context === 'pane' && h.levelKeys.length > 0) lines.unshift(...h.levelKeys.map((a) => `  ${a.key.padEnd(22)} ${a.label} (this view)`));
    const shown = lines.filter(keep);
    if (shown.length === 0) continue;
    out.push({ text: CONTEXT_TITLES[context], heading: true }, ...shown.map((text) => ({ text, heading: false })));
  }
  return out;
}
