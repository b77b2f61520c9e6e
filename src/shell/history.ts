/**
 * Command history with a draft: walking up keeps what you were typing, walking back down returns
 * it. Entries are oldest first; consecutive duplicates and blank lines are not recorded.
 */
export interface HistoryState {
  readonly entries: readonly string[];
  /** Index into entries while browsing; entries.length means "the draft". */
  readonly index: number;
  readonly draft: string;
}

export const HISTORY_CAP = 5000;

export function historyOf(entries: readonly string[]): HistoryState {
  const capped = entries.slice(-HISTORY_CAP);
  return { entries: capped, index: capped.length, draft: '' };
}

export function record(h: HistoryState, line: string): HistoryState {
  const text = line.trim();
  if (text === '' || h.entries[h.entries.length - 1] === text) return historyOf(h.entries);
  return historyOf([...h.entries, text]);
}

/** Moves to the previous entry; `current` is the line as edited now (kept as the draft). */
export function previous(h: HistoryState, current: string): { state: HistoryState; line: string } | null {
  if (h.index === 0) return null;
  const draft = h.index === h.entries.length ? current : h.draft;
  const index = h.index - 1;
  return { state: { ...h, index, draft }, line: h.entries[index]! };
}

export function next(h: HistoryState): { state: HistoryState; line: string } | null {
  if (h.index >= h.entries.length) return null;
  const index = h.index + 1;
  return { state: { ...h, index }, line: index === h.entries.length ? h.draft : h.entries[index]! };
}

/** Ctrl-R: the newest entry containing the query, searching back from `before` (exclusive). */
export function searchBack(h: HistoryState, query: string, before = h.entries.length): { index: number; line: string } | null {
  if (query === '') return null;
  for (let i = Math.min(before, h.entries.length) - 1; i >= 0; i--) {
    if (h.entries[i]!.includes(query)) return { index: i, line: h.entries[i]! };
  }
  return null;
}
