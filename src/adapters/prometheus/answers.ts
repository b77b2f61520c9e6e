import { OpsError } from '../../core/errors.js';
import type { QueryData, StoresData } from '../../core/metrics.js';
import { isObject, type AnswerShape } from '../kit/shape.js';

/**
 * The `data` of each API answer, checked before it reaches a table, a chart or -o json: a server
 * that says `status: success` with data of another shape (a proxy, another service, a broken
 * build) is a clear error naming it (exit 3), never `undefined` printed with exit 0 or a crash in
 * a renderer. Only what opsdeck reads is checked; everything else passes through unchanged.
 */

/** /targets: `activeTargets` (and `droppedTargets`, when sent) are lists of objects. */
export function readTargets(s: AnswerShape, data: unknown): unknown {
  const d = s.object(data, 'data');
  listOfObjects(s, d.activeTargets, 'data.activeTargets');
  if (d.droppedTargets !== undefined) listOfObjects(s, d.droppedTargets, 'data.droppedTargets');
  return d;
}

export function readAlerts(s: AnswerShape, data: unknown): unknown {
  const d = s.object(data, 'data');
  listOfObjects(s, d.alerts, 'data.alerts');
  return d;
}

/** /rules: groups, each with a name and a list of rules. */
export function readRules(s: AnswerShape, data: unknown): unknown {
  const d = s.object(data, 'data');
  s.arrayOf(d.groups, 'data.groups', (g, at) => {
    const group = s.object(g, at);
    s.str(group, 'name', at);
    listOfObjects(s, group.rules, `${at}.rules`);
  });
  return d;
}

/** /labels and /label/<name>/values: a list of strings. */
export function readLabels(s: AnswerShape, data: unknown): string[] {
  return s.arrayOf(data, 'data', (v, at) => s.string(v, at));
}

/** /series: label sets, each an object of strings. */
export function readSeries(s: AnswerShape, data: unknown): Array<Record<string, string>> {
  return s.arrayOf(data, 'data', (v, at) => labelSet(s, v, at));
}

/** /metadata: metric name → list of {type, help, unit}. */
export function readMetadata(s: AnswerShape, data: unknown): Record<string, Array<{ type: string; help: string; unit: string }>> {
  const d = s.object(data, 'data');
  for (const [metric, list] of Object.entries(d)) listOfObjects(s, list, `data.${metric}`);
  return d as Record<string, Array<{ type: string; help: string; unit: string }>>;
}

/** Thanos /stores: component type → list of store status objects. */
export function readStores(s: AnswerShape, data: unknown): StoresData {
  const d = s.object(data, 'data');
  for (const [type, list] of Object.entries(d)) s.arrayOf(list, `data.${type}`, (v, at) => s.str(s.object(v, at), 'name', at));
  return d as StoresData;
}

export function readBuildInfo(s: AnswerShape, data: unknown): { version: string | null } {
  return { version: s.optStr(s.object(data, 'data'), 'version', 'data') ?? null };
}

/**
 * Refuses query data that is not the shape the API documents, so tables, charts and the pane get
 * a clear error instead of crashing on a null result or metric. Series may carry native
 * `histogram(s)` instead of float samples.
 */
export function readQueryData(where: string, hint: string, data: unknown): QueryData {
  const d = data as Record<string, unknown> | null | undefined;
  let problem: string | null = null;
  if (!isObject(d)) problem = 'no data object';
  else if (d.resultType === 'scalar' || d.resultType === 'string') {
    if (!Array.isArray(d.result) || d.result.length !== 2) problem = `a ${d.resultType} result that is not [time, value]`;
  } else if (d.resultType === 'vector' || d.resultType === 'matrix') {
    const [one, many] = d.resultType === 'vector' ? ['value', 'histogram'] : ['values', 'histograms'];
    if (!Array.isArray(d.result)) problem = `a ${d.resultType} result that is not a list`;
    else if (!d.result.every((r) => isObject(r) && isObject(r.metric) && (Array.isArray(r[one]) || Array.isArray(r[many])))) problem = `a ${d.resultType} entry without metric labels or ${one}`;
  } else problem = `resultType ${String(JSON.stringify(d.resultType)).slice(0, 40)}`;
  if (problem === null) return d as unknown as QueryData;
  throw new OpsError('bad-answer', `${where} answered the query with ${problem}, not the Prometheus API's data`, hint);
}

function listOfObjects(s: AnswerShape, v: unknown, path: string): void {
  s.arrayOf(v, path, (item, at) => s.object(item, at));
}

function labelSet(s: AnswerShape, v: unknown, path: string): Record<string, string> {
  const o = s.object(v, path);
  for (const key of Object.keys(o)) s.str(o, key, path);
  return o as Record<string, string>;
}
