import { SCOPE_KINDS, type Scope, type ScopeKind, type ScopeModel } from '../../core/scope.js';
import type { BackendPart } from '../../commands/listing.js';
import type { BackendHandle } from '../../session/session.js';
import { addressWords, capabilitiesOf } from './level-id.js';
import type { LoadedView, Plan } from './pane-levels.js';
import type { PaneRow } from './state.js';

/**
 * What the services and config panes share: each backend's part of a listing as rows, scope
 * columns from the backends' own kinds, a backend column when the profile has several, the words
 * that address a row on a command line, and a red row for a backend that could not be listed.
 */

/** The row of a backend that could not be listed: red, with its error; Enter shows the hint. */
export interface BackendErrorRow {
  kind: 'error';
  backend: string;
  error: { message: string; hint?: string | undefined };
}

export const isErrorRow = (row: PaneRow): boolean => (row.data as { kind?: string } | null)?.kind === 'error' && 'error' in (row.data as object);

/** The backends of a list subsystem that open, by name: their scope models and capabilities (a backend that is down is absent). */
export async function opened<B>(handles: Array<BackendHandle<B>>): Promise<Map<string, B>> {
  const settled = await Promise.allSettled(handles.map(async (h) => [h.name, await h.open()] as const));
  return new Map(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
}

/** The scope kinds of the backends, outermost first: the scope columns of a pane. */
export function kindsOf(models: Iterable<{ scope: ScopeModel }>): ScopeKind[] {
  const all = new Set([...models].flatMap((m) => m.scope.kinds));
  return SCOPE_KINDS.filter((k) => all.has(k));
}

/**
 * A red row for each backend that failed. Its cells (backend, '-' for the scope, then the error)
 * serve filters and tests; it is drawn as one line across the columns (`span`), so the message
 * never becomes a data column's width. Enter shows the whole message and the next step.
 */
export function errorRows(parts: ReadonlyArray<{ backend: string; error: { message: string; hint?: string | undefined } | null }>, lead: (backend: string) => string[], rest: number): PaneRow[] {
  return parts.flatMap(({ backend, error }) =>
    error
      ? [{ key: `${backend}/\u0000error`, cells: [...lead(backend), '(not listed)', error.message, ...Array<string>(rest).fill('-')], span: `${backend}  ✗ not listed: ${error.message}`, tone: 'bad' as const, data: { kind: 'error', backend, error } satisfies BackendErrorRow }]
      : [],
  );
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

/** The rows of a listing over the backends of one subsystem, and their columns. */
export async function scopedRows<B extends { scope: ScopeModel }, T extends Scope & { backend: string }>(
  handles: Array<BackendHandle<B>>,
  parts: Array<BackendPart<T>>,
  o: { columns: string[]; methods: string[]; name(t: T): string; row(t: T, at: Placed): Pick<PaneRow, 'cells' | 'tone' | 'data'> },
): Promise<LoadedView> {
  // Nothing answered: the pane keeps its last good rows and shows the error with their age, as
  // for a single backend; a red row is for one backend among others that did answer.
  const failed = parts.filter((p) => p.error !== null);
  if (failed.length > 0 && failed.length === parts.length) throw failed[0]!.error!;
  // Only the backends that answered: opening one that failed would try (and wait) again.
  const backends = await opened(handles.filter((h) => parts.some((p) => p.backend === h.name && p.error === null)));
  const several = handles.length > 1;
  const kinds = kindsOf(backends.values());
  const lead = (backend: string) => (several ? [backend] : []);
  const rows = parts.flatMap((p) => {
    const b = backends.get(p.backend);
    return p.items.map((t): PaneRow => {
      const scope: Scope = {};
      for (const k of SCOPE_KINDS) if (t[k] !== undefined) scope[k] = t[k];
      const r = o.row(t, { scope, address: b ? addressWords(t.backend, several, scope, b.scope) : [], caps: b ? capabilitiesOf(b, o.methods) : [] });
      return { key: `${t.backend}/${JSON.stringify(scope)}/${o.name(t)}`, cells: [...lead(t.backend), ...kinds.map((k) => t[k] ?? '-'), ...r.cells], tone: r.tone, data: r.data };
    });
  });
  const columns = [...(several ? ['BACKEND'] : []), ...kinds.map((k) => k.toUpperCase()), ...o.columns];
  const warnings = parts.flatMap((p) => p.warnings.map((w) => `${p.backend}: ${w}`));
  return { rows: [...rows, ...errorRows(parts, (b) => [...lead(b), ...kinds.map(() => '-')], o.columns.length - 2)], columns, ...(warnings.length > 0 ? { warnings } : {}) };
}
