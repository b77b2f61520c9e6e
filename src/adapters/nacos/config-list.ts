import type { ConfigSummary } from '../../core/config-center.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import { readPage } from './answers.js';
import { readConfigRow, type ConfigRow } from './config-answers.js';
import type { NacosContext } from './context.js';
import { tenantOf } from './namespaces.js';
import { envelopeData, legacyJson } from './replies.js';
import type { ApiLevel } from './server-facts.js';

/** 2.x search rows carry each config's content: smaller pages keep an answer well under the size cap. */
const LEGACY_PAGE_MAX = 100;

/**
 * Configs of one namespace (or all), through Nacos' blur search: `text` with `*` is Nacos' own
 * pattern, other text matches anywhere in the id (`*text*`). Case follows the server's database
 * (Derby and PostgreSQL compare case-sensitively, MySQL usually not). Bounded by `maxConfigs`.
 */
export async function listConfigs(ctx: NacosContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ConfigSummary[]> {
  const { namespaces, o } = ctx;
  const ids = filter.scope.namespace !== undefined ? [await namespaces.resolve(filter.scope.namespace)] : (await namespaces.list()).map((n) => n.id);
  const pattern = filter.text === undefined || filter.text === '' ? '' : filter.text.includes('*') ? filter.text : `*${filter.text}*`;
  const out: ConfigSummary[] = [];
  let stopped = false;
  for (const namespace of ids) {
    if (stopped) break;
    if (out.length >= o.maxConfigs) {
      stopped = true;
      break;
    }
    const rows = await ctx.http.withApi((level) => pages(ctx, level, namespace, filter.scope.group ?? '', pattern, o.maxConfigs - out.length, opts));
    for (const r of rows.rows) out.push({ backend: o.name, namespace, group: r.group, dataId: r.dataId, type: r.type, md5: r.md5, version: null, updatedAt: null });
    opts.onProgress?.(out.length);
    stopped = rows.more;
  }
  if (stopped) opts.onIncomplete?.(`listed the first ${o.maxConfigs} configs only (maxConfigs in the profile)`, 'limit');
  return out;
}

async function pages(ctx: NacosContext, level: ApiLevel, namespace: string, group: string, dataId: string, left: number, opts: ListOptions): Promise<{ rows: ConfigRow[]; more: boolean }> {
  const { http, o } = ctx;
  const v3 = level === 'v3';
  const path = v3 ? '/v3/admin/cs/config/list' : '/v1/cs/configs';
  const s = http.shape(path);
  const pageSize = v3 ? o.pageSize : Math.min(o.pageSize, LEGACY_PAGE_MAX);
  const rows: ConfigRow[] = [];
  for (let pageNo = 1; ; pageNo++) {
    const query = v3 ? { pageNo, pageSize, namespaceId: namespace, dataId, groupName: group, search: 'blur' } : { pageNo, pageSize, tenant: tenantOf(namespace, level), dataId, group, search: 'blur' };
    const reply = await http.send({ path, query, signal: opts.signal });
    const page = readPage(s, v3 ? envelopeData(http.client, reply, path, 'list configs') : legacyJson(http.client, reply, 'list configs'), v3 ? 'data' : '');
    const got = page.items.map((item, i) => readConfigRow(s, item, `pageItems[${i}]`));
    const more = got.length === pageSize && pageNo * pageSize < page.total;
    const kept = got.slice(0, left - rows.length);
    rows.push(...kept);
    if (rows.length >= left) return { rows, more: more || kept.length < got.length };
    if (!more) return { rows, more: false };
  }
}
