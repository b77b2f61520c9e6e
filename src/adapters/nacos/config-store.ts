import { conflict, notFound, OpsError } from '../../core/errors.js';
import type { ConfigItem, ConfigRef } from '../../core/config-center.js';
import { describeScope } from '../../core/scope.js';
import type { ConfigType } from '../../core/types.js';
import { configType, md5Of, readConfigDetail, type ConfigDetail } from './config-answers.js';
import type { NacosContext } from './context.js';
import { tenantOf, type Where } from './namespaces.js';
import { envelope, refused, rejectHtml } from './replies.js';
import { atLeast, type ApiLevel } from './server-facts.js';
import { settle } from './settle.js';

/**
 * Reading, publishing and deleting one config. Reads use the detail endpoints (2.x
 * `/v1/cs/configs?show=all`, 3.x `/v3/admin/cs/config`), which read the database: the plain client
 * read serves the server's dump cache, which can answer 404 for about a second after a publish.
 */

/** The request parameters naming one config: 3.x `groupName`/`namespaceId`, 1.x/2.x `group`/`tenant`. */
export function configParams(level: ApiLevel, where: Where, dataId: string): Record<string, string> {
  return level === 'v3' ? { dataId, groupName: where.group, namespaceId: where.namespace } : { dataId, group: where.group, tenant: tenantOf(where.namespace, level) };
}

/** The config, or null when there is none. */
export async function readConfig(ctx: NacosContext, level: ApiLevel, where: Where, dataId: string): Promise<ConfigDetail | null> {
  const { http } = ctx;
  if (level === 'v3') {
    const path = '/v3/admin/cs/config';
    const reply = await http.send({ path, query: configParams(level, where, dataId) });
    if (reply.status === 404) return null;
    const env = envelope(http.client, reply, path);
    if (env.code === 20004) return null;
    if (env.code !== 0) throw refused(http.client, `read config ${dataId}`, reply);
    return readConfigDetail(http.shape(path), env.data, 'data');
  }
  const path = '/v1/cs/configs';
  const reply = await http.send({ path, query: { ...configParams(level, where, dataId), show: 'all' } });
  rejectHtml(http.client, reply);
  if (reply.status !== 200) throw refused(http.client, `read config ${dataId}`, reply);
  // An absent config: HTTP 200 with an empty body.
  if (reply.text.trim() === '') return null;
  return readConfigDetail(http.shape(path), http.client.json(reply), '');
}

export function itemOf(ctx: NacosContext, where: Where, dataId: string, d: ConfigDetail): ConfigItem {
  return { backend: ctx.o.name, namespace: where.namespace, group: where.group, dataId, content: d.content, type: configType(d.rawType), token: d.md5, md5: d.md5, version: null, updatedAt: d.updatedAt };
}

export function noConfig(ctx: NacosContext, where: Where, dataId: string): OpsError {
  return notFound(`config ${dataId} (${describeScope(where)}) not found on ${ctx.http.where}`, 'config list shows the configs of a namespace; ids are case-sensitive');
}

export async function getConfig(ctx: NacosContext, ref: ConfigRef): Promise<ConfigItem> {
  const where = await ctx.namespaces.where(ref.scope);
  const d = await ctx.http.withApi((level) => readConfig(ctx, level, where, ref.dataId));
  if (d === null) throw noConfig(ctx, where, ref.dataId);
  return itemOf(ctx, where, ref.dataId, d);
}

/**
 * Publishes. With `ifMatch` the publish carries the `casMd5` request header (Nacos ignores the
 * form field of that name silently), which Nacos checks from 2.3.0 on; an older server, or one
 * whose version is unknown, gets no publish at all. CAS cannot say "only if absent": Nacos creates
 * an absent config whatever casMd5 says, so an absent config is a conflict here before anything is
 * sent (a config deleted between that read and the publish is still created: Nacos cannot check it).
 */
export async function setConfig(ctx: NacosContext, ref: ConfigRef, content: string, type: ConfigType, opts: { ifMatch?: string }): Promise<ConfigItem> {
  const where = await ctx.namespaces.where(ref.scope);
  return ctx.http.withApi(async (level) => {
    if (opts.ifMatch !== undefined) await requireCas(ctx, level);
    const current = await readConfig(ctx, level, where, ref.dataId);
    if (opts.ifMatch !== undefined) {
      if (current === null) throw conflict(`config ${ref.dataId} (${describeScope(where)}) does not exist, so it cannot match ${opts.ifMatch}`, 'Nacos cannot publish "only if absent"; publish without --if-match to create it', { current: null });
      if (current.md5 !== opts.ifMatch) throw casConflict(ref.dataId, where, current.md5);
    }
    await publish(ctx, level, where, ref.dataId, content, type, current?.desc ?? null, { casMd5: opts.ifMatch });
    const want = md5Of(content);
    const r = await settle(() => readConfig(ctx, level, where, ref.dataId), (d) => d !== null && d.md5 === want, ctx.o.settleTimeoutMs);
    if (!r.settled || r.value === null) throw new OpsError('failed', `${ctx.http.where} accepted the publish of ${ref.dataId}, but shows other content after ${ctx.o.settleTimeoutMs} ms (someone else may have published meanwhile)`, 'check with config get');
    return itemOf(ctx, where, ref.dataId, r.value);
  });
}

export async function requireCas(ctx: NacosContext, level: ApiLevel): Promise<void> {
  if (level === 'v3') return;
  const { version } = await ctx.http.server();
  if (version !== null && atLeast(version, [2, 3, 0])) return;
  throw new OpsError(
    'unsupported',
    version === null
      ? `${ctx.http.where} does not say its version, and compare-and-set (the casMd5 header) needs Nacos 2.3.0 or later: nothing was published`
      : `${ctx.http.where} is Nacos ${version}, and compare-and-set (the casMd5 header) needs 2.3.0 or later: nothing was published`,
    'publish without --if-match (an unconditional overwrite), or upgrade Nacos',
  );
}

function casConflict(dataId: string, where: Where, now: string): OpsError {
  return conflict(`config ${dataId} (${describeScope(where)}) changed: its md5 is now ${now}`, 'read it again (config get) and retry with the new md5', { current: now });
}

/** One publish; `betaIps` makes it a beta release for those addresses only. */
export async function publish(ctx: NacosContext, level: ApiLevel, where: Where, dataId: string, content: string, type: string, desc: string | null, headers: { casMd5?: string; betaIps?: string }): Promise<void> {
  const { http } = ctx;
  const h: Record<string, string> = {};
  if (headers.casMd5 !== undefined) h.casMd5 = headers.casMd5;
  if (headers.betaIps !== undefined) h.betaIps = headers.betaIps;
  // A publish without desc clears it (measured): send the one the config has.
  const form = { ...configParams(level, where, dataId), content, type, ...(desc !== null ? { desc } : {}) };
  const what = `publish config ${dataId}`;
  if (level === 'v3') {
    const path = '/v3/admin/cs/config';
    const reply = await http.send({ method: 'POST', path, form, headers: h });
    const env = envelope(http.client, reply, path);
    if (env.code === 20005) throw await casRefused(ctx, level, where, dataId);
    if (env.code !== 0 || env.data !== true) throw refused(http.client, what, reply);
    return;
  }
  const reply = await http.send({ method: 'POST', path: '/v1/cs/configs', form, headers: h });
  if (reply.status === 200 && reply.text.trim() === 'true') return;
  rejectHtml(http.client, reply);
  // 2.x: HTTP 500 "Cas publish fail, server md5 may have changed."; 3.0's v1 path: HTTP 500 "false".
  if (headers.casMd5 !== undefined && (/cas publish fail/i.test(reply.text) || reply.text.trim() === 'false')) throw await casRefused(ctx, level, where, dataId);
  throw refused(http.client, what, reply);
}

async function casRefused(ctx: NacosContext, level: ApiLevel, where: Where, dataId: string): Promise<OpsError> {
  const now = await readConfig(ctx, level, where, dataId).catch(() => null);
  return now === null ? conflict(`config ${dataId} (${describeScope(where)}) changed before the publish (Nacos refused it: casMd5 no longer matched)`, 'read it again (config get) and retry') : casConflict(dataId, where, now.md5);
}

/**
 * Deletes an existing config. Nacos deletes unconditionally (it has no compare-and-set for a
 * delete), so `ifMatch` is checked against a read made right before the delete: a config that
 * changed since it was shown is not deleted (a conflict), but a publish that lands between that
 * read and the delete is lost. docs/nacos.md lists this among what Nacos cannot guarantee.
 */
export async function deleteConfig(ctx: NacosContext, ref: ConfigRef, opts: { ifMatch?: string }): Promise<void> {
  const where = await ctx.namespaces.where(ref.scope);
  await ctx.http.withApi(async (level) => {
    const current = await readConfig(ctx, level, where, ref.dataId);
    if (current === null) throw noConfig(ctx, where, ref.dataId);
    if (opts.ifMatch !== undefined && current.md5 !== opts.ifMatch) throw casConflict(ref.dataId, where, current.md5);
    const path = level === 'v3' ? '/v3/admin/cs/config' : '/v1/cs/configs';
    const reply = await ctx.http.send({ method: 'DELETE', path, query: configParams(level, where, ref.dataId) });
    const ok = level === 'v3' ? envelope(ctx.http.client, reply, path).code === 0 : reply.status === 200 && reply.text.trim() === 'true';
    if (!ok) {
      rejectHtml(ctx.http.client, reply);
      throw refused(ctx.http.client, `delete config ${ref.dataId}`, reply);
    }
    const r = await settle(() => readConfig(ctx, level, where, ref.dataId), (d) => d === null, ctx.o.settleTimeoutMs);
    if (!r.settled) throw new OpsError('failed', `${ctx.http.where} accepted the deletion of ${ref.dataId}, but still shows it after ${ctx.o.settleTimeoutMs} ms`, 'check with config get');
  });
}
