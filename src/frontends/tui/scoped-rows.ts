import type { ConsoleReads } from '../console-reads.js';
import { SCOPE_KINDS, type Scope, type ScopeKind, type ScopeModel } from '../../core/scope.js';
import type { BackendCoverage, Coverage } from '../../core/types.js';
import type { Column } from '../../render/text-table.js';
import { addressWords } from './level-id.js';
import type { LoadedView, Plan } from './pane-levels.js';
import { paneTable } from './pane-table.js';
import type { PaneRow } from './state.js';

/**
 * What the services, config and locks panes share: a listing command's answer as rows, in the
 * columns of the CLI table (scope columns for the kinds the rows carry, a BACKEND column when the
 * profile has several), the words that address a row on a command line, and a red row for a
 * backend that could not be listed.
 */

/** The row of a backend that could not be listed: red, with its error; Enter shows the hint. */
export interface BackendErrorRow {
  kind: 'error';
  backend: string;
  error: { message: string; hint?: string | undefined };
}

export const isErrorRow = (row: PaneRow): boolean => (row.data as { kind?: string } | null)?.kind === 'error' && 'error' in (row.data as object);

/** The scope kinds of the backends, outermost first: whether the pane offers `n` (namespaces). */
export function kindsOf(models: Iterable<{ scope: ScopeModel }>): ScopeKind[] {
  const all = new Set([...models].flatMap((m) => m.scope.kinds));
  return SCOPE_KINDS.filter((k) => all.has(k));
}

const LEAD_HEADERS = new Set(['BACKEND', ...SCOPE_KINDS.map((k) => k.toUpperCase())]);

/**
 * A red row for each backend that failed. Its cells (the backend in BACKEND, '-' for the scope,
 * then '(not listed)' and the error) serve filters and tests; it is drawn as one line across the
 * columns (`span`), so the message never becomes a data column's width. Enter shows the whole
 * message and the next step.
 */
export function errorRows(failed: ReadonlyArray<Pick<BackendCoverage, 'backend' | 'error' | 'hint'>>, headers: readonly string[]): PaneRow[] {
  const lead = headers.findIndex((h) => !LEAD_HEADERS.has(h));
  return failed.flatMap(({ backend, error: message, hint }) => {
    if (message === null) return [];
    const cells = headers.map((h, i) => (h === 'BACKEND' ? backend : i === lead ? '(not listed)' : i === lead + 1 ? message : '-'));
    const error = { message, ...(hint === undefined ? {} : { hint }) };
    return [{ key: `${backend}/\u0000error`, cells, span: `${backend}  ✗ not listed: ${message}`, tone: 'bad' as const, data: { kind: 'error', backend, error } satisfies BackendErrorRow }];
  });
}

export function errorDetail(row: PaneRow, what: string): Plan {
  const { backend, error } = row.data as BackendErrorRow;
  return { kind: 'detail', title: `${what} ${backend}`, load: async () => [`backend    ${backend}`, `error      ${error.message}`, ...(error.hint ? [`next step  ${error.hint}`] : [])] };
}

/** Where a row lives and what its backend can do, for its pane actions. */
export interface Placed {
  scope: Scope;
  /** `--backend`/`--namespace`/`--group` words where the command line needs them. */
  address: string[];
  /** The backend's optional methods among those the pane offers keys for. */
  caps: string[];
}

/** What the backends warned about their state while listing, each line naming its backend. */
export function warningsOf(listing: Coverage): string[] {
  return listing.backends.flatMap((b) => (b.warnings ?? []).map((w) => `${b.backend}: ${w}`));
}

/** The rows of a listing command's answer over the backends of one subsystem, in its CLI columns. */
export async function scopedRows<T extends Scope & { backend: string }>(
  reads: ConsoleReads,
  subsystem: 'registry' | 'config',
  listing: Coverage,
  items: readonly T[],
  columns: ReadonlyArray<Column<T>>,
  o: { methods: string[]; name(t: T): string; row(t: T, at: Placed): Pick<PaneRow, 'tone' | 'data'> },
): Promise<LoadedView> {
  // The command failed as a whole when nothing answered (the pane keeps its last rows then); a
  // backend that failed among others that answered is a red row. Only those that answered are
  // opened for their facts: opening one that failed would try (and wait) again.
  const failed = listing.backends.filter((b) => b.error !== null);
  const facts = await reads.backendFacts(subsystem, listing.backends.filter((b) => b.error === null).map((b) => b.backend), o.methods);
  const several = listing.backends.length > 1;
  const table = paneTable(columns, items, (t) => {
    const scope: Scope = {};
    for (const k of SCOPE_KINDS) if (t[k] !== undefined) scope[k] = t[k];
    const f = facts.get(t.backend);
    const r = o.row(t, { scope, address: f ? addressWords(t.backend, several, scope, f.scope) : [], caps: f?.caps ?? [] });
    return { key: `${t.backend}/${JSON.stringify(scope)}/${o.name(t)}`, tone: r.tone, data: r.data };
  });
  const warnings = warningsOf(listing);
  return { ...table, rows: [...table.rows, ...errorRows(failed, table.columns)], scopeKinds: kindsOf(facts.values()), ...(warnings.length > 0 ? { warnings } : {}) };
}
