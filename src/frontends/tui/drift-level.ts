import type { DriftAsk, DriftReport } from '../../commands/services/drift-read.js';
import type { DriftRow } from '../../core/drift.js';
import { DRIFT_COLUMNS as DRIFT_VIEW } from '../../render/drift-view.js';
import { levelData, levelId } from './level-id.js';
import type { Level, LoadedView, Plan } from './pane-levels.js';
import { paneTable } from './pane-table.js';

/**
 * The drift view: what `services drift` returns, as rows of the services pane in its CLI columns.
 * It runs the command itself, so the view and the command cannot disagree. Opened by `D` on the
 * services pane and by `services drift` typed at the prompt (console-actions.ts); Esc goes back.
 */

const KIND = 'drift';
export const DRIFT_COLUMNS = DRIFT_VIEW.map((c) => c.header);

/** `services drift` with the options the view was opened with. */
function driftWords(ask: DriftAsk): string[] {
  return ['services', 'drift', ...(ask.service ? ['--service', ask.service] : []), ...(ask.ignore ?? []).flatMap((k) => ['--ignore', k])];
}

/** The drill-down that shows drift, for the options given (`--service`, `--ignore`). */
export function driftPlan(ask: DriftAsk = {}): Extract<Plan, { kind: 'drill' }> {
  const what = [ask.service ? `service ${ask.service}` : '', ask.ignore?.length ? `ignoring ${ask.ignore.join(', ')}` : ''].filter(Boolean).join(', ');
  return { kind: 'drill', level: levelId(KIND, ask), title: `drift${what ? ` (${what})` : ''}`, columns: DRIFT_COLUMNS };
}

export function isDriftLevel(level: string): boolean {
  return level.startsWith(`${KIND}:`);
}

export function driftLevel(level: string): Level {
  const ask = levelData<DriftAsk>(level);
  return {
    // Every service's instances of every registry are read: not something to repeat every 2 s.
    minRefreshMs: () => 15_000,
    async load(reads): Promise<LoadedView> {
      const d = await reads.read<DriftReport>(driftWords(ask));
      const { rows, align, spare } = paneTable(DRIFT_VIEW, d.rows, (r) => ({
        key: `${r.kind} ${r.service} ${r.instance ?? ''} ${d.rows.indexOf(r)}`,
        tone: r.kind === 'healthy-but-down' || r.kind === 'expired-kept' ? 'bad' : 'warn',
        data: r,
      }));
      // A source that could not be read is a red row: no rows below it must not pass for "no drift".
      for (const s of d.sources.filter((x) => x.error !== null)) {
        rows.unshift({ key: `source ${s.name}`, cells: ['(not read)', '-', '-', s.name, s.error!], tone: 'bad', data: { source: s.name, error: s.error } });
      }
      if (rows.length === 0) rows.push({ key: 'none', cells: ['no drift', '-', '-', d.sources.map((s) => s.name).join(', '), 'every source agrees'], tone: 'ok', data: null });
      const warnings = [...d.sources.flatMap((s) => (s.warnings ?? []).map((w) => `${s.name}: ${w}`)), ...d.unjudged.map((u) => `${u.kind} not judged in full: ${u.reason}`)];
      return { rows, columns: DRIFT_COLUMNS, align, spare, ...(warnings.length > 0 ? { warnings } : {}) };
    },
    enter(row) {
      const r = row.data as DriftRow | { source: string; error: string } | null;
      if (r === null) return null;
      if (!('kind' in r)) return { kind: 'detail', title: `source ${r.source}`, load: async () => [`source  ${r.source}`, `error   ${r.error}`] };
      return {
        kind: 'detail',
        title: `${r.kind} ${r.service}${r.instance ? ` ${r.instance}` : ''}`,
        load: async () => [r.message, '', ...r.disagree.map((d) => `${d.source.padEnd(12)} ${d.says}`)],
      };
    },
    actions: [],
  };
}
