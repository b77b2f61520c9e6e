import type { ConfigEvent, ConfigItem, ConfigListing, ConfigSummary, ConfigVersion } from '../core/config-center.js';
import { describeScope, type Scope } from '../core/scope.js';
import { formatDuration } from '../core/duration.js';
import { cell } from './generic.js';
import { backendColumn, coverageLines, scopeColumns } from './scope-columns.js';
import type { Style } from './style.js';
import { textTable, type Column } from './text-table.js';
import { ago } from './time-ago.js';


export function configsView(d: ConfigListing, style: Style, now: number): string {
  return textTable(d.configs, configsColumns(d, now), style) + coverageLines(d, style);
}

/** The columns of `config list`, in the CLI table and the config pane alike. */
export function configsColumns(d: ConfigListing, now: number): Array<Column<ConfigSummary>> {
  return [
    ...backendColumn<ConfigSummary>(d),
    ...scopeColumns(d.configs),
    { header: 'DATA ID', get: (r) => r.dataId, paint: (c, _r, s) => s.cyan(c) },
    { header: 'TYPE', get: (r) => cell(r.type) },
    { header: 'VERSION', get: (r) => cell(r.version), align: 'right' },
    { header: 'MD5', get: (r) => cell(r.md5), narrow: 12 },
    { header: 'UPDATED', get: (r) => ago(r.updatedAt, now), spare: true },
  ];
}

/** The facts line of one config: where it lives, its type, version, md5, and its token when that is not the md5. */
export function configFacts(d: ConfigItem): string {
  return [d.dataId, d.backend, describeScope(d as Scope), d.type, d.version === null ? null : `version ${d.version}`, `md5 ${d.md5}`, d.token === d.md5 ? null : `token ${d.token}`].filter(Boolean).join(' · ');
}

/** `config get --entry ID`: what the config held right after that history entry's change (null: it was deleted). */
export interface EntryContent extends Scope {
  backend: string;
  dataId: string;
  entry: Pick<ConfigVersion, 'id' | 'op' | 'at'>;
  content: string | null;
}

export function configView(d: ConfigItem | EntryContent, style: Style): string {
  if ('entry' in d) {
    const head = style.dim(`# ${d.dataId} · ${d.backend} · entry ${d.entry.id} · ${d.entry.op}${d.entry.at ? ` · ${d.entry.at}` : ''} · the content right after this change`);
    return d.content === null ? `${head}\n${style.dim('(nothing: the config was deleted)')}` : `${head}\n${d.content.replace(/\n$/, '')}`;
  }
  return `${style.dim(`# ${configFacts(d)}`)}\n${d.content.replace(/\n$/, '')}`;
}

export function publishedView(verb: string, d: ConfigItem, style: Style): string {
  return `${style.green(verb)} ${d.dataId}${d.version === null ? '' : ` version ${d.version}`} ${style.dim(`md5 ${d.md5}${d.token === d.md5 ? '' : ` · token ${d.token}`}`)}`;
}

/** The entries; an incomplete history is said on stderr by the command (`ctx.warn`). */
export function historyView(h: { entries: ConfigVersion[] }, style: Style, now: number): string {
  return textTable(h.entries, historyColumns(h.entries, now), style);
}

/** The columns of `config history`, in the CLI table and the config pane's history alike. */
export function historyColumns(rows: readonly ConfigVersion[], now: number): Array<Column<ConfigVersion>> {
  return [
    { header: 'ID', get: (r) => r.id, align: 'right' },
    { header: 'OP', get: (r) => r.op, paint: (c, r, s) => (r.op === 'delete' ? s.red(c) : r.op === 'rollback' ? s.yellow(c) : c) },
    // Nacos' update rows hold the content from before the change: say so on every row.
    { header: 'CONTENT', get: (r) => (r.op === 'delete' && r.contentIs === 'after' ? '-' : `${r.contentIs} the change`) },
    { header: 'MD5', get: (r) => cell(r.md5), narrow: 12 },
    { header: 'AT', get: (r) => (r.at ? `${r.at} (${ago(r.at, now)})` : '-') },
    ...(rows.some((r) => r.by !== null || r.from !== null) ? [{ header: 'BY', get: (r: ConfigVersion) => [r.by, r.from].filter(Boolean).join(' from ') || '-', spare: true }] : []),
  ];
}

export function diffView(d: { dataId: string; from: string; to: string | null; file: string | null; identical: boolean; diff: string[] }, style: Style): string {
  const label = (what: string) => (what === 'current' ? 'current content' : `entry ${what}`);
  const to = d.file === null ? label(d.to!) : `file ${d.file}`;
  if (d.identical) return style.dim(`${d.dataId}: ${label(d.from)} and ${to} are identical`);
  return [style.bold(`--- ${d.dataId} ${label(d.from)}`), style.bold(`+++ ${d.file === null ? `${d.dataId} ${to}` : d.file}`), ...d.diff.map((l) => (l.startsWith('@@') ? style.cyan(l) : l.startsWith('+') ? style.green(l) : l.startsWith('-') ? style.red(l) : l))].join('\n');
}

export function watchView(e: ConfigEvent, style: Style): string {
  return `${style.dim(e.at)} ${e.op === 'delete' ? style.red(e.op) : style.cyan(e.op)} ${e.dataId}${e.version === null ? '' : ` version ${e.version}`}${e.md5 ? style.dim(` md5 ${e.md5}`) : ''}`;
}
