import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { makeDirs } from '../../lib/make-dirs.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { MAX_QUERIES, type ChartMode } from './metrics-state.js';

/** What the metrics pane keeps per profile: the queries and how they are shown. */
export interface SavedQueries {
  queries: string[];
  intervalMs?: number;
  rangeMs?: number;
  mode?: ChartMode;
}

export interface LoadedQueries {
  saved: SavedQueries;
  /** Set when the file could not be used; the pane shows it. */
  warning: string | null;
  /** False when a bad file could not be moved aside: saving would destroy it, so the pane does not. */
  writable: boolean;
}


/** $XDG_STATE_HOME/opsdeck/metrics/<profile>.json, next to the per-profile history. */
export function savedQueriesPath(env: NodeJS.ProcessEnv, profile: string): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'opsdeck', 'metrics', `${profile.replace(/[^\w.-]/g, '_')}.json`);
}

/**
 * Reads the saved queries. A missing file is an empty list. A file that does not parse or has the
 * wrong shape is renamed to `.bak` (never deleted: it may be the user's only copy) and the pane
 * starts fresh with a warning saying where the old file went.
 */
export function loadSavedQueries(path: string): LoadedQueries {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { saved: { queries: [] }, warning: null, writable: true };
    return { saved: { queries: [] }, warning: `cannot read saved queries ${path} (${code ?? (e as Error).message}); changes will not be saved`, writable: false };
  }
  let problem: string | null = null;
  let saved: SavedQueries | null = null;
  try {
    saved = validate(JSON.parse(text));
    if (!saved) problem = 'it is not {"queries": ["PromQL", ...]}';
  } catch (e) {
    problem = `it is not JSON: ${(e as Error).message}`;
  }
  if (saved && saved.queries.length > MAX_QUERIES) {
    // A hand-edited file longer than the pane allows: show the first ones, and never save over the
    // file, which would drop the rest.
    const all = saved.queries.length;
    return { saved: { ...saved, queries: saved.queries.slice(0, MAX_QUERIES) }, warning: `saved queries ${path} hold ${all} queries; the pane shows the first ${MAX_QUERIES} and will not save over the file (edit it to ${MAX_QUERIES} or fewer)`, writable: false };
  }
  if (saved) return { saved, warning: null, writable: true };
  const bak = `${path}.bak`;
  try {
    renameSync(path, bak);
  } catch (e) {
    return { saved: { queries: [] }, warning: `saved queries ${path} are unreadable (${problem}) and could not be moved aside (${(e as Error).message}); fix or remove the file — changes will not be saved`, writable: false };
  }
  return { saved: { queries: [] }, warning: `saved queries ${path} were unreadable (${problem}); kept as ${bak}, starting with an empty list`, writable: true };
}

/** Writes the file atomically: a temp file in the same directory, then a rename over the old one. */
export function writeSavedQueries(path: string, saved: SavedQueries): void {
  makeDirs(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function validate(v: unknown): SavedQueries | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o.queries) || !o.queries.every((q) => typeof q === 'string' && q.trim() !== '')) return null;
  const out: SavedQueries = { queries: o.queries as string[] };
  const ms = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 1000 && x <= 366 * 86_400_000 ? x : undefined);
  const interval = ms(o.intervalMs);
  const range = ms(o.rangeMs);
  if (interval !== undefined) out.intervalMs = interval;
  if (range !== undefined) out.rangeMs = range;
  if (o.mode === 'braille' || o.mode === 'block') out.mode = o.mode;
  return out;
}
