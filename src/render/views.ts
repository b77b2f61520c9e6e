import { formatDuration } from '../core/duration.js';
import type { BackendStatus, Coverage, LockListing, LockView } from '../core/types.js';
import type { ConfigItem } from '../core/config-center.js';
import type { ServiceDetail } from '../core/registry.js';
import { configsView, configView, diffView, historyView, publishedView, watchView } from './config-views.js';
import { serviceView, servicesView } from './registry-views.js';
import { driftView } from './drift-view.js';
import { coverageLines } from './scope-columns.js';
import { GLOBAL_OPTION_SPECS } from '../commands/global-options.js';
import type { HelpEntry } from '../commands/misc/help.js';
import { cacheSampleView, cacheStatsView } from './cache-views.js';
import { simulationView } from './cache-sim-view.js';
import { cacheDetailView, cacheFleetView } from './cache-fleet-view.js';
import { renderChart } from './chart/render-chart.js';
import { matrixToSeries } from './chart/matrix-to-series.js';
import { cell, renderGeneric } from './generic.js';
import { renderAlerts, renderMetadata, renderQuery, renderRules, renderSeries, renderTargets } from './metrics-views.js';
import { renderStores } from './stores-view.js';
import type { Style } from './style.js';
import { textTable } from './text-table.js';
import { comparisonView, loadResultView } from './bench-views.js';
import { lockColumns } from './lock-views.js';
import { txListView, txLocksView, txShowView } from './tx-views.js';
import { ago } from './time-ago.js';

type NamespaceRow = { backend: string; id: string; name: string; description: string | null };
type View = (data: any, style: Style, now: number, width?: number) => string;

const yesNo = (ok: boolean, style: Style, good = 'yes', bad = 'no') => (ok ? style.green(good) : style.red(bad));

/** Table renderings keyed by command id; anything missing falls back to renderGeneric. */
export const VIEWS: Record<string, View> = {
  'services list': servicesView,
  'services show': serviceView,
  'services drift': driftView,
  'instances register': serviceView,
  'instances drain': serviceView,
  'instances undrain': serviceView,
  'instances weight': serviceView,
  'instances meta': serviceView,
  'namespaces list': (d: Coverage & { namespaces: NamespaceRow[] }, style) =>
    textTable<NamespaceRow>(d.namespaces, [
      ...(d.backends.length > 1 ? [{ header: 'BACKEND', get: (r: { backend: string }) => r.backend }] : []),
      { header: 'ID', get: (r) => (r.id === '' ? '(empty)' : r.id), paint: (c, _r, s) => s.cyan(c) },
      { header: 'NAME', get: (r) => r.name },
      { header: 'DESCRIPTION', get: (r) => cell(r.description) },
    ], style) + coverageLines(d, style),
  'config list': configsView,
  'config get': configView,
  'config set': (d: ConfigItem | { dataId: string; beta: { ips: string[] } }, style) => ('beta' in d ? `${style.green('beta published')} ${d.dataId} to ${d.beta.ips.join(', ')}` : publishedView('published', d, style)),
  'config rollback': (d: ConfigItem & { restored: string }, style) => publishedView(`rolled back to entry ${d.restored}:`, d, style),
  'config history': historyView,
  'config diff': diffView,
  'config watch': watchView,
  'config listeners': (d: { dataId: string; md5: string; listeners: Array<{ ip: string; md5: string | null }> }, style) =>
    textTable(d.listeners, [
      { header: 'CLIENT', get: (r) => r.ip },
      { header: 'MD5', get: (r) => cell(r.md5), paint: (c, r, s) => (r.md5 === d.md5 ? s.green(c) : s.yellow(c)) },
      { header: 'CURRENT', get: (r) => (r.md5 === d.md5 ? 'yes' : 'stale') },
    ], style),
  'config beta': (d: { dataId: string; beta: { content: string; ips: string[] } | null }, style) =>
    d.beta === null ? style.dim(`${d.dataId} has no beta release`) : `${style.dim(`# beta of ${d.dataId} for ${d.beta.ips.join(', ')}`)}\n${d.beta.content.replace(/\n$/, '')}`,
  'locks list': (d: LockListing, style, now) => lockTable(d.locks, style, now) + coverageLines(d, style),
  'locks show': (d: LockListing, style, now) => lockTable(d.locks, style, now) + waiterLines(d.locks, style, now) + coverageLines(d, style),
  'locks acquire': (d: { name: string; holder: string; token: unknown; expiresAt: string | null }, style, now) =>
    `${style.green('acquired')} ${d.name} as ${d.holder} ${style.dim(`token ${cell(d.token)}${d.expiresAt ? ` · lease ends in ${formatDuration(Date.parse(d.expiresAt) - now)}` : ''}`)}`,
  'locks release': (d: { name: string; remaining: number; forced: boolean; previousHolder: string | null }, style) =>
    d.remaining > 0
      ? `${d.name}: released one hold, ${d.remaining} left (reentrant)`
      : `${style.green(d.forced ? 'force-released' : 'released')} ${d.name}${d.forced ? style.yellow(` (was held by ${d.previousHolder}; that process may still be running)`) : ''}`,
  status: (rows: BackendStatus[], style) =>
    textTable(rows, [
      { header: 'SUBSYSTEM', get: (r) => r.subsystem },
      { header: 'BACKEND', get: (r) => r.backend },
      { header: 'REACHABLE', get: (r) => (r.reachable ? 'yes' : 'no'), paint: (c, r, s) => (r.reachable ? s.green(c) : s.red(c)) },
      { header: 'VERSION', get: (r) => cell(r.version) },
      { header: 'LATENCY', get: (r) => (r.latencyMs === null ? '-' : `${r.latencyMs} ms`), align: 'right' },
      { header: 'ERROR', get: (r) => cell(r.error) },
    ], style),
  version: (d: { version: string }) => `opsdeck ${d.version}`,
  bench: loadResultView,
  'bench service': loadResultView,
  'bench compare': comparisonView,
  'metrics query': (d, style) => renderQuery(d, style),
  // A chart as wide as the terminal; 16 rows leave room for the legend and the prompt.
  'metrics range': (d, style, _now, width = 100) => (d.resultType === 'matrix' ? renderChart(matrixToSeries(d), { width, height: Math.max(8, Math.min(24, 6 + d.result.length * 2 + 8)), style }) : renderQuery(d, style)),
  'metrics watch': (d: { at: string; expr: string; resultType: string; result: unknown }, style) => `${style.dim(d.at)} ${style.cyan(d.expr)}\n${renderQuery(d, style)}`,
  'metrics targets': (d, style) => renderTargets(d, style),
  'metrics alerts': (d, style) => renderAlerts(d, style),
  'metrics rules': (d, style) => renderRules(d, style),
  'metrics labels': (d: string[], style) => (d.length === 0 ? style.dim('(none)') : d.join('\n')),
  'metrics series': (d, style) => renderSeries(d, style),
  'metrics metadata': (d, style) => renderMetadata(d, style),
  'metrics stores': (d, style, now) => renderStores(d, style, now),
  help: (entries: HelpEntry[], style) => (entries.length === 1 ? helpOne(entries[0]!, style) : helpMany(entries, style)),
  'cache stats': cacheStatsView,
  'cache keys': cacheSampleView('none'),
  'cache hotkeys': cacheSampleView('frequency'),
  'cache bigkeys': cacheSampleView('size'),
  'cache simulate': simulationView,
  'cache list': cacheFleetView,
  'cache show': cacheDetailView,
  'tx list': txListView,
  'tx show': txShowView,
  'tx locks': txLocksView,
};

/** Renders one data value for a command in table mode. */
export function renderView(commandId: string, data: unknown, style: Style, now: number, width = 100): string {
  const view = VIEWS[commandId];
  return view ? view(data, style, now, width) : renderGeneric(data, style);
}

function lockTable(rows: LockView[], style: Style, now: number): string {
  return textTable(rows, lockColumns(now), style);
}

function waiterLines(rows: LockView[], style: Style, now: number): string {
  const lines = rows.flatMap((r) =>
    (r.waiters ?? []).map((w, i) => `  ${i + 1}. ${w.owner} ${style.dim(`waiting ${ago(w.since, now).replace(' ago', '')}${w.until ? `, gives up in ${formatDuration(Date.parse(w.until) - now)}` : ''}`)}`),
  );
  return lines.length > 0 ? `\n${style.bold('waiters, in order:')}\n${lines.join('\n')}` : '';
}

function helpMany(entries: HelpEntry[], style: Style): string {
  const w = Math.max(...entries.map((e) => e.command.length));
  return [
    style.bold('opsdeck commands'),
    ...entries.map((e) => `  ${style.cyan(e.command.padEnd(w))}  ${e.summary}`),
    '',
    style.dim(`global options: ${GLOBAL_OPTION_SPECS.map((o) => `${o.short ? `-${o.short}` : `--${o.name}`}${o.value ? ` ${o.choices ? o.choices.join('|') : o.value.toUpperCase()}` : ''}`).join(', ')}`),
    style.dim('scripts: opsdeck replay FILE..., opsdeck -c CMD, or pipe lines on stdin; "opsdeck help COMMAND" for details'),
  ].join('\n');
}

function helpOne(e: HelpEntry, style: Style): string {
  const out = [`${style.bold(e.usage)}`, `  ${e.summary}${e.mutates ? style.yellow(' (changes state)') : ''}`];
  if (e.args.length > 0) out.push('', style.bold('arguments'), ...e.args.map((a) => `  ${a.name.padEnd(22)} ${a.summary}${a.required ? '' : ' (optional)'}`));
  if (e.options.length > 0) out.push('', style.bold('options'), ...e.options.map((o) => `  ${o.flag.padEnd(22)} ${o.summary}${o.default ? style.dim(` (default ${o.default})`) : ''}`));
  if (e.examples.length > 0) out.push('', style.bold('examples'), ...e.examples.map((x) => `  ${x}`));
  return out.join('\n');
}
