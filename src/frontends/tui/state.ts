import { healthBoard, subsystemHealth, type HealthBoard, type HealthState } from '../../core/health.js';
import type { Scope, ScopeKind } from '../../core/scope.js';
import type { CompletionResult } from '../../shell/completion/types.js';
import { EMPTY_LINE, type LineState } from '../../shell/line-editor.js';
import { historyOf, type HistoryState } from '../../shell/history.js';
import type { BenchViewState } from './bench-view.js';
import type { KeyHelpState } from './key-help.js';
import { initialMetrics, type MetricsPaneState } from './metrics-state.js';
import type { PagerState } from './pager.js';
import { sortRows, type PaneSort } from './row-sort.js';
import { CACHE_COLUMNS } from '../../render/cache-fleet-view.js';

export type PaneId = 'services' | 'config' | 'locks' | 'metrics' | 'tx' | 'caches';
export const PANES: readonly PaneId[] = ['services', 'config', 'locks', 'metrics', 'tx', 'caches'];
/**
 * The profile subsystem each pane shows (its health is that subsystem's). The caches pane reads the
 * metrics backend and the Redis cache: its loads report as metrics, its tab shows both (paneHealth).
 */
export const PANE_SUBSYSTEM: Readonly<Record<PaneId, string>> = { services: 'registry', config: 'config', locks: 'locks', metrics: 'metrics', tx: 'tx', caches: 'metrics' };
const PANE_ALSO: Readonly<Partial<Record<PaneId, readonly string[]>>> = { caches: ['cache'] };

/** A pane's health for its tab: the worst of its subsystems' that are configured (`off` when none is). */
export function paneHealth(board: HealthBoard, pane: PaneId): HealthState {
  const states = [PANE_SUBSYSTEM[pane], ...(PANE_ALSO[pane] ?? [])].map((sub) => subsystemHealth(board, sub).state).filter((st) => st !== 'off');
  const order: HealthState[] = ['down', 'warning', 'unknown', 'ok'];
  return order.find((st) => (states as HealthState[]).includes(st)) ?? 'off';
}

export type Tone = 'ok' | 'warn' | 'bad' | 'dim' | 'plain';

export interface PaneRow {
  /** Stable identity, so the selection survives a refresh that reorders rows. */
  key: string;
  cells: string[];
  tone: Tone;
  data: unknown;
  /**
   * Drawn instead of the cells, across the row, and left out of the column widths: a backend's
   * error would otherwise sit in a data column (HOLDER, say) and widen it for every row.
   */
  span?: string;
}

/** One view of a pane: the top list, or a drill-down such as one service's instances. */
export interface PaneView {
  pane: PaneId;
  /** Identifies the drill-down level: "top", or a kind and what it shows, e.g. 'instances:{"backend":…}'. */
  level: string;
  title: string;
  columns: string[];
  /** Each column's alignment, from the CLI table's view definition; absent: all left. */
  align?: Array<'left' | 'right'>;
  /** The columns left out first when the rows do not fit the terminal (the view definition's `spare`). */
  spare?: boolean[];
  /** The scope kinds of the backends the view lists (namespace: `n` switches it); absent: those of its columns. */
  scopeKinds?: ScopeKind[];
  rows: PaneRow[];
  fetchedAt: number | null;
  /** A push feed (Consul's blocking queries) reloads this view on change, instead of the polling tick. */
  live?: boolean;
  error: string | null;
  loading: boolean;
  selected: number;
  filter: string;
  /** What the backends said about their state at the last load (Eureka's self-preservation); shown above the rows. */
  warnings?: string[];
  /** The key of the row marked with `v` (a history entry to diff from), on levels that mark. */
  marked?: string | null;
  /** The column the rows are ordered by (`s` cycles, `S` reverses); absent: the order the load gave. */
  sort?: PaneSort | null;
}

export interface LogEntry {
  id: number;
  /** The command line as run, shown with a prompt marker; null for notices. */
  line: string | null;
  text: string;
  exitCode: number | null;
}

export interface Dialog {
  message: string;
  /** When set, the user must type exactly this. */
  typeToConfirm: string | null;
  input: string;
  resolve(ok: boolean): void;
}

export interface Detail {
  title: string;
  lines: string[];
  scroll: number;
  /** The lines are a unified diff: + lines green, - lines red, @@ hunks cyan. */
  diff?: boolean;
}

/** `query` is the metrics pane's inline query editor, `range` its time range editor. */
export type Focus = 'prompt' | 'pane' | 'filter' | 'search' | 'query' | 'range';

export interface ConsoleState {
  cols: number;
  rows: number;
  focus: Focus;
  line: LineState;
  history: HistoryState;
  /** Ctrl-R: the query and the history index of the current match. */
  search: { query: string; index: number | null } | null;
  completion: { result: CompletionResult; selected: number; open: boolean } | null;
  log: LogEntry[];
  /** How many display lines the output area is scrolled back from the newest (0: follows new output). */
  logScroll: number;
  /** A result opened in the pager view (Ctrl-O); it covers the panes and the output. */
  pager: PagerState | null;
  /** The `?` overlay. */
  keyHelp: KeyHelpState | null;
  /** The live view of a running `bench` (bench-view.ts); it covers the panes and the output. */
  bench?: BenchViewState | null;
  running: { line: string; startedAt: number } | null;
  pane: PaneId;
  /** Stack of views per pane; the last one is shown. */
  views: Record<PaneId, PaneView[]>;
  detail: Detail | null;
  dialog: Dialog | null;
  profile: { name: string; production: boolean; readOnly: boolean };
  /** Every configured backend's health (core/health.ts): pane loads, the background ping and `status` report to it. */
  health: HealthBoard;
  lastRefresh: number | null;
  notice: string | null;
  demo: boolean;
  /** The file `--record` writes to, while it is on: the status bar shows a badge. */
  recording?: string | null;
  /**
   * The embedded store's directory when it was not the default, and what chose it
   * (`--data-dir`, `OPSDECK_DATA_DIR`, the profile's dataDir): an override is never silent.
   */
  dataDir?: { dir: string; from: string } | null;
  /** The metrics pane: live queries and their charts (not a row list like the other panes). */
  metrics: MetricsPaneState;
  /**
   * The scope the console is in (`use NAMESPACE`, or `n` in panes 1 and 2): panes 1 and 2 list
   * only it, completion offers what lives in it, and a typed line that names no namespace runs
   * in it. Empty: every namespace.
   */
  scope: Scope;
}

export function initialState(
  cols: number,
  rows: number,
  profile: ConsoleState['profile'],
  history: readonly string[],
  demo: boolean,
  configured: ReadonlyArray<{ subsystem: string; backend: string }> = [],
): ConsoleState {
  const top = (pane: PaneId, title: string, columns: string[]): PaneView[] => [
    { pane, level: 'top', title, columns, rows: [], fetchedAt: null, error: null, loading: true, selected: 0, filter: '' },
  ];
  return {
    cols,
    rows,
    focus: 'prompt',
    line: EMPTY_LINE,
    history: historyOf(history),
    search: null,
    completion: null,
    log: [],
    logScroll: 0,
    pager: null,
    keyHelp: null,
    running: null,
    pane: 'services',
    views: {
      // Scope columns come from the backends' own kinds once the first load answers.
      services: top('services', 'services', ['SERVICE', 'INSTANCES', 'HEALTHY', 'DRAINED']),
      config: top('config', 'config', ['DATA ID', 'TYPE', 'VER', 'MD5']),
      locks: top('locks', 'locks', ['BACKEND', 'LOCK', 'HOLDER', 'TOKEN', 'LEASE LEFT', 'WAITERS']),
      metrics: top('metrics', 'metrics', ['']),
      tx: top('tx', 'transactions', ['XID', 'STATUS', 'APP', 'NAME', 'AGE', 'TIMEOUT', 'BRANCHES', 'FLAGS']),
      caches: top('caches', 'caches', CACHE_COLUMNS.map((c) => c.header)),
    },
    detail: null,
    dialog: null,
    profile,
    health: healthBoard(configured),
    lastRefresh: null,
    notice: null,
    demo,
    metrics: initialMetrics(),
    scope: {},
  };
}

/** Rows of a view after its filter (case-insensitive, every word must appear in some cell), in its sort order. */
export function visibleRows(view: PaneView): PaneRow[] {
  const words = view.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const sort = view.sort && view.sort.column < view.columns.length ? view.sort : null;
  if (words.length === 0 && !sort) return view.rows;
  // Rendering and every key ask for this; filtering or sorting 100k rows each time would cost a frame.
  const cached = filterCache.get(view.rows);
  if (cached && cached.filter === view.filter && cached.sort === sort) return cached.rows;
  const kept = words.length === 0 ? view.rows : view.rows.filter((r) => {
    const hay = r.cells.join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const rows = sort ? sortRows(kept, sort) : kept;
  filterCache.set(view.rows, { filter: view.filter, sort, rows });
  return rows;
}

const filterCache = new WeakMap<PaneRow[], { filter: string; sort: PaneSort | null; rows: PaneRow[] }>();

/** The view in another sort order, its selection still on the same row (by key). */
export function withSort(view: PaneView, sort: PaneSort | null): PaneView {
  const selectedKey = visibleRows(view)[view.selected]?.key;
  const next = { ...view, sort };
  const at = selectedKey === undefined ? -1 : visibleRows(next).findIndex((r) => r.key === selectedKey);
  return { ...next, selected: at >= 0 ? at : 0 };
}

/** The state with one view of a pane changed (found by its level); unchanged when that view is gone. */
export function withView(s: ConsoleState, pane: PaneId, level: string, update: (v: PaneView) => PaneView): ConsoleState {
  const stack = s.views[pane];
  const i = stack.findIndex((v) => v.level === level);
  if (i < 0) return s;
  const copy = [...stack];
  copy[i] = update(stack[i]!);
  return { ...s, views: { ...s.views, [pane]: copy } };
}

/** A row index kept within `count` rows. */
export function clamp(i: number, count: number): number {
  return count === 0 ? 0 : Math.max(0, Math.min(count - 1, i));
}

export function currentView(s: ConsoleState): PaneView {
  const stack = s.views[s.pane];
  return stack[stack.length - 1]!;
}

/**
 * Whether `n` (switch namespace) is offered in a pane: panes 1 and 2, when the backends that
 * answered have namespaces (their top list has the column, from the backends' scope models).
 */
export function hasNamespaces(s: ConsoleState, pane: PaneId): boolean {
  return (pane === 'services' || pane === 'config') && listsNamespaces(s.views[pane][0]!);
}

/** Whether the backends a view lists have namespaces: their kinds, once a load said them, else its columns. */
export function listsNamespaces(view: PaneView): boolean {
  return view.scopeKinds?.includes('namespace') ?? view.columns.includes('NAMESPACE');
}
