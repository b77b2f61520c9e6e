import { SCOPE_KINDS, type Scope, type ScopeKind } from '../core/scope.js';
import type { Coverage } from '../core/types.js';
import type { Style } from './style.js';
import type { Column } from './text-table.js';

/** The scope kinds the rows carry (their backends' kinds), outermost first: the scope columns of a table. */
export function scopeKindsOf(rows: readonly Scope[]): ScopeKind[] {
  return SCOPE_KINDS.filter((k) => rows.some((r) => r[k] !== undefined));
}

/** NAMESPACE, GROUP, … columns for the kinds the rows carry; a row whose backend lacks a kind shows '-'. */
export function scopeColumns<T extends Scope>(rows: readonly T[]): Array<Column<T>> {
  return scopeKindsOf(rows).map((k) => ({ header: k.toUpperCase(), get: (r: T) => r[k] ?? '-' }));
}

/** A BACKEND column when the listing covers more than one backend. */
export function backendColumn<T extends { backend: string }>(listing: Coverage): Array<Column<T>> {
  return listing.backends.length > 1 ? [{ header: 'BACKEND', get: (r: T) => r.backend }] : [];
}

/**
 * One line per backend whose part is missing or cut short, so a table never passes for the whole
 * answer, and one per warning a backend gave about its state (Eureka's self-preservation).
 */
export function coverageLines(d: Coverage, style: Style): string {
  const lines = [
    ...d.backends.filter((b) => !b.complete).map((b) => style.yellow(b.error === null ? `${b.backend}: listing incomplete (stopped by ${b.stoppedBy})` : `${b.backend}: left out (${b.stoppedBy}): ${b.error}`)),
    ...d.backends.flatMap((b) => (b.warnings ?? []).map((w) => style.yellow(`${b.backend}: ${w}`))),
  ];
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}
