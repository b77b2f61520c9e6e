import type { DriftReport } from '../commands/services/drift-read.js';
import type { DriftRow } from '../core/drift.js';
import type { Style } from './style.js';
import { textTable, type Column } from './text-table.js';

/** The sources of a row, as the table's SOURCES cell: who disagrees with whom. */
export function sourcesCell(r: DriftRow): string {
  return r.disagree.map((d) => d.source).join(' vs ');
}

/** What each source holds, as one cell. */
export function saysCell(r: DriftRow): string {
  return r.disagree.map((d) => `${d.source}: ${d.says}`).join('; ');
}

/** The columns of `services drift`, in the CLI table and the services pane's drift view alike. */
export const DRIFT_COLUMNS: ReadonlyArray<Column<DriftRow>> = [
  { header: 'KIND', get: (r) => r.kind, paint: (c, r, s) => (r.kind === 'healthy-but-down' || r.kind === 'expired-kept' ? s.red(c) : s.yellow(c)) },
  { header: 'SERVICE', get: (r) => r.service, paint: (c, _r, s) => s.cyan(c) },
  { header: 'INSTANCE', get: (r) => r.instance ?? '-' },
  { header: 'SOURCES', get: sourcesCell },
  { header: 'WHAT THEY SAY', get: saysCell },
];

/**
 * `services drift`: one row per disagreement, then what was not read or not judged, so a table
 * without rows never passes for "no drift" when a source was down.
 */
export function driftView(d: DriftReport, style: Style): string {
  const read = d.sources.filter((s) => s.error === null).map((s) => s.name).join(', ');
  const table =
    d.rows.length === 0
      ? d.complete && d.unjudged.length === 0
        ? style.green(`no drift between ${read}`)
        : style.yellow(`no drift found in what could be read (${read}); see below`)
      : textTable<DriftRow>(d.rows, DRIFT_COLUMNS, style, 160);
  const notes = [
    ...d.sources.filter((s) => s.error !== null || !s.complete).map((s) => style.red(`${s.name}: ${s.error === null ? `read in part (stopped by ${s.stoppedBy})` : `not read (${s.stoppedBy}): ${s.error}`}`)),
    ...d.unjudged.map((u) => style.yellow(`${u.kind} not judged in full: ${u.reason}`)),
  ];
  return notes.length > 0 ? `${table}\n${notes.join('\n')}` : table;
}
