import { notFound, OpsError } from '../../core/errors.js';
import type { ConfigHistory, ConfigRef, ConfigVersion } from '../../core/config-center.js';
import { describeScope } from '../../core/scope.js';
import type { ConfigOp } from '../../core/types.js';
import { readPage } from './answers.js';
import { readHistoryRow, type HistoryRow } from './config-answers.js';
import type { NacosContext } from './context.js';
import { configParams, noConfig, readConfig } from './config-store.js';
import type { Where } from './namespaces.js';
import { envelope, legacyJson, refused, rejectHtml } from './replies.js';
import type { ApiLevel } from './server-facts.js';

/**
 * A config's history. What a Nacos row holds (measured on 2.3.2, 2.5.1 and 3.0.3): an insert
 * row (`I`) holds the inserted content, an update or delete row (`U`, `D`) the content as it was
 * BEFORE that change; the current content is only in the config itself. `opType` comes padded
 * with spaces to 10 characters. Rows of beta (gray) releases, which 2.5+ and 3.x write, are left
 * out: they are not the released content, and would break the before/after chain.
 */

const OPS: Record<string, ConfigOp> = { I: 'create', U: 'update', D: 'delete' };

export function versionOf(row: HistoryRow): ConfigVersion | null {
  const op = OPS[row.opType];
  if (op === undefined || row.publishType === 'gray') return null;
  return { id: row.id, version: null, op, at: row.at, md5: null, by: row.by, from: row.from, contentIs: row.opType === 'I' ? 'after' : 'before' };
}

/**
 * Newest first, at most `maxHistory` rows. A config with no history that does not exist is not
 * found. The history is complete when it reaches back to the config's creation: Nacos drops rows
 * older than `nacos.config.retention.days` (30 by default), and a config created before that (or
 * imported, which writes no row) starts with an update.
 */
export async function history(ctx: NacosContext, ref: ConfigRef): Promise<ConfigHistory> {
  const where = await ctx.namespaces.where(ref.scope);
  return ctx.http.withApi(async (level) => {
    const { rows, cut } = await historyRows(ctx, level, where, ref.dataId);
    const out = rows.map(versionOf).filter((v): v is ConfigVersion => v !== null);
    // Ids are decimal strings, global to the server and growing: newest first is the largest first.
    out.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0));
    if (out.length === 0 && (await readConfig(ctx, level, where, ref.dataId)) === null) throw noConfig(ctx, where, ref.dataId);
    const incomplete = cut
      ? `the newest ${ctx.o.maxHistory} entries are listed (maxHistory in the profile); older ones are not`
      : out.length === 0 || out.at(-1)!.op !== 'create'
        ? `the oldest entry is ${out.length === 0 ? 'missing' : `an ${out.at(-1)!.op}`}, not the creation: Nacos drops history older than nacos.config.retention.days (30 by default), and an imported config has none`
        : null;
    return { entries: out, complete: incomplete === null, incomplete };
  });
}

/** The rows, oldest last as Nacos pages them; `cut` when `maxHistory` stopped the paging before the end. */
async function historyRows(ctx: NacosContext, level: ApiLevel, where: Where, dataId: string): Promise<{ rows: HistoryRow[]; cut: boolean }> {
  const { http, o } = ctx;
  const v3 = level === 'v3';
  const path = v3 ? '/v3/admin/cs/history/list' : '/v1/cs/history';
  const s = http.shape(path);
  const rows: HistoryRow[] = [];
  let total = 0;
  for (let pageNo = 1; rows.length < o.maxHistory; pageNo++) {
    const query = { ...configParams(level, where, dataId), pageNo, pageSize: o.pageSize, ...(v3 ? {} : { search: 'accurate' }) };
    const reply = await http.send({ path, query });
    const what = `read the history of ${dataId}`;
    const env = v3 ? envelope(http.client, reply, path) : null;
    if (env !== null && env.code !== 0) throw refused(http.client, what, reply);
    const page = readPage(s, env !== null ? env.data : legacyJson(http.client, reply, what), v3 ? 'data' : '');
    rows.push(...page.items.map((item, i) => readHistoryRow(s, item, `pageItems[${i}]`)));
    total = page.total;
    if (page.items.length < o.pageSize || pageNo * o.pageSize >= page.total) break;
  }
  return { rows: rows.slice(0, o.maxHistory), cut: Math.max(rows.length, total) > o.maxHistory };
}

/** The content one history row holds (see the module comment for which content that is). */
export async function versionContent(ctx: NacosContext, ref: ConfigRef, id: string): Promise<string | null> {
  const where = await ctx.namespaces.where(ref.scope);
  const missing = () => notFound(`history entry ${id} of config ${ref.dataId} (${describeScope(where)}) not found on ${ctx.http.where}`, `config history ${ref.dataId} lists the entries`);
  if (!/^\d{1,20}$/.test(id)) throw missing();
  return ctx.http.withApi(async (level) => {
    const { http } = ctx;
    const path = level === 'v3' ? '/v3/admin/cs/history' : '/v1/cs/history';
    let reply;
    try {
      reply = await http.send({ path, query: { ...configParams(level, where, ref.dataId), nid: id } });
    } catch (e) {
      // 2.5.1 answers an entry of another config with the status line "HTTP/1.1 0", which is not
      // HTTP: when the entry is not this config's, that is a not-found, not a broken server.
      if (e instanceof OpsError && e.kind === 'bad-answer' && !(await historyRows(ctx, level, where, ref.dataId)).rows.some((r) => r.id === id)) throw missing();
      throw e;
    }
    const s = http.shape(path);
    let body: unknown;
    if (level === 'v3') {
      // An unknown id: 400 "Source must not be null"; another config's id: 403 "Please check dataId…".
      const env = envelope(http.client, reply, path);
      if (env.code !== 0) {
        if (reply.status === 400 || reply.status === 403 || reply.status === 404) throw missing();
        throw refused(http.client, `read history entry ${id}`, reply);
      }
      body = env.data;
    } else {
      rejectHtml(http.client, reply);
      // An unknown id: HTTP 200 with an empty body; another config's id: 403.
      if (reply.status === 403 || (reply.status === 200 && reply.text.trim() === '')) throw missing();
      body = legacyJson(http.client, reply, `read history entry ${id}`);
    }
    const o = s.object(body, level === 'v3' ? 'data' : '');
    return o.content === null || o.content === undefined ? null : s.str(o, 'content', level === 'v3' ? 'data' : '');
  });
}
