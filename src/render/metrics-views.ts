import { cell } from './generic.js';
import { readableNumber } from './readable-number.js';
import type { Style } from './style.js';
import { textTable } from './text-table.js';

type Labels = Record<string, string>;

/** `name{a="b",…}`: the compact series notation on-call engineers read every day. */
export function seriesName(metric: Labels): string {
  const { __name__: name, ...rest } = metric;
  const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(',');
  return `${name ?? ''}{${labels}}`;
}

export function renderQuery(data: { resultType: string; result: unknown }, style: Style): string {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const [, v] = data.result as [number, string];
    return data.resultType === 'scalar' ? readableNumber(v) : v;
  }
  if (data.resultType === 'vector') {
    // Native histograms come as `histogram` instead of `value`; the table names them rather than crash.
    const rows = data.result as Array<{ metric: Labels; value?: [number, string]; histogram?: unknown }>;
    return textTable(rows, [
      { header: 'SERIES', get: (r) => seriesName(r.metric) },
      { header: 'VALUE', get: (r) => (r.value ? readableNumber(r.value[1]) : r.histogram ? '(native histogram)' : '-'), align: 'right' },
    ], style, 120);
  }
  const rows = data.result as Array<{ metric: Labels; values?: Array<[number, string]>; histograms?: unknown[] }>;
  return textTable(rows, [
    { header: 'SERIES', get: (r) => seriesName(r.metric) },
    { header: 'POINTS', get: (r) => String((r.values ?? r.histograms ?? []).length), align: 'right' },
    { header: 'LAST', get: (r) => { const last = r.values?.[r.values.length - 1]?.[1]; return last !== undefined ? readableNumber(last) : r.histograms ? '(native histogram)' : '-'; }, align: 'right' },
  ], style, 120);
}

export function renderTargets(data: { activeTargets?: Array<Record<string, any>> }, style: Style): string {
  return textTable(data.activeTargets ?? [], [
    { header: 'JOB', get: (t) => String(t.labels?.job ?? t.scrapePool ?? '') },
    { header: 'INSTANCE', get: (t) => String(t.labels?.instance ?? '') },
    { header: 'HEALTH', get: (t) => String(t.health), paint: (c, t, s) => (t.health === 'up' ? s.green(c) : t.health === 'down' ? s.red(c) : s.yellow(c)) },
    { header: 'LAST SCRAPE', get: (t) => String(t.lastScrape ?? '-') },
    { header: 'ERROR', get: (t) => cell(t.lastError || null) },
  ], style);
}

export function renderAlerts(data: { alerts?: Array<Record<string, any>> }, style: Style): string {
  return textTable(data.alerts ?? [], [
    { header: 'ALERT', get: (a) => String(a.labels?.alertname ?? '') },
    { header: 'STATE', get: (a) => String(a.state), paint: (c, a, s) => (a.state === 'firing' ? s.red(c) : s.yellow(c)) },
    { header: 'SINCE', get: (a) => String(a.activeAt ?? '-') },
    { header: 'VALUE', get: (a) => (a.value == null ? '-' : readableNumber(String(a.value))), align: 'right' },
    { header: 'LABELS', get: (a) => cell(Object.fromEntries(Object.entries(a.labels ?? {}).filter(([k]) => k !== 'alertname'))) },
  ], style);
}

export function renderRules(data: { groups?: Array<{ name: string; rules: Array<Record<string, any>> }> }, style: Style): string {
  const rows: Array<Record<string, any>> = (data.groups ?? []).flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
  return textTable(rows, [
    { header: 'GROUP', get: (r) => String(r.group) },
    { header: 'RULE', get: (r) => String(r.name) },
    { header: 'TYPE', get: (r) => String(r.type) },
    { header: 'HEALTH', get: (r) => String(r.health ?? '-'), paint: (c, r, s) => (r.health === 'ok' ? s.green(c) : s.red(c)) },
    { header: 'STATE', get: (r) => String(r.state ?? '-') },
    { header: 'LAST EVAL', get: (r) => String(r.lastEvaluation ?? '-') },
  ], style);
}

export function renderMetadata(data: Record<string, Array<{ type: string; help: string; unit: string }>>, style: Style): string {
  const rows = Object.entries(data).flatMap(([metric, list]) => list.map((m) => ({ metric, ...m })));
  return textTable(rows, [
    { header: 'METRIC', get: (r) => r.metric },
    { header: 'TYPE', get: (r) => r.type },
    { header: 'UNIT', get: (r) => r.unit || '-' },
    { header: 'HELP', get: (r) => r.help },
  ], style, 80);
}

export function renderSeries(data: Labels[], style: Style): string {
  return data.length === 0 ? style.dim('(none)') : data.map(seriesName).join('\n');
}
