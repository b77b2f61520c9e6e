import { OpsError } from '../../core/errors.js';
import { sleepUnlessAborted } from '../../core/on-abort.js';
import type { ConfigEvent, ConfigListener, ConfigRef } from '../../core/config-center.js';
import { readListenerMap, type ConfigDetail } from './config-answers.js';
import { configParams, readConfig } from './config-store.js';
import type { NacosContext } from './context.js';
import { tenantOf, type Where } from './namespaces.js';
import { envelopeData, legacyJson, refused, rejectHtml } from './replies.js';
import type { ApiLevel } from './server-facts.js';

/** How long the server holds a long poll before it answers "no change" (Nacos clients ask 30 s). */
export const LONG_POLL_MS = 30_000;

/**
 * `Listening-Configs` of the v1 long poll: `dataId ␂ group ␂ md5 [␂ tenant] ␁` (␂ = \x02,
 * ␁ = \x01), the tenant after the md5 and only when there is one; an empty md5 means "I hold
 * nothing" (an absent config).
 */
export function listeningConfigs(dataId: string, group: string, md5: string, tenant: string): string {
  return `${dataId}\x02${group}\x02${md5}${tenant === '' ? '' : `\x02${tenant}`}\x01`;
}

/**
 * Watches one config. 1.x/2.x: the v1 listener long poll with `Long-Pulling-Timeout` (without
 * that header Nacos answers at once, a plain compare); the server answers as soon as the config
 * changes, or empty after the timeout (at least ~10 s whatever is asked). 3.x: md5 polling of the
 * admin read every `pollIntervalMs` (3.2 removes the v1 listener, and the v3 API has none).
 * Each change is read back and yielded once; the stream ends quietly when the signal aborts.
 */
export async function* watch(ctx: NacosContext, ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent> {
  const where = await ctx.namespaces.where(ref.scope);
  let current = await ctx.http.withApi((level) => readConfig(ctx, level, where, ref.dataId));
  try {
    while (!signal.aborted) {
      const next = await ctx.http.withApi(async (level) => {
        if (level === 'v3') await sleep(ctx.o.pollIntervalMs, signal);
        else if (!(await longPoll(ctx, level, where, ref.dataId, current?.md5 ?? '', signal))) return undefined;
        return readConfig(ctx, level, where, ref.dataId);
      });
      if (next === undefined) continue;
      if ((next?.md5 ?? null) === (current?.md5 ?? null)) {
        // Right after a publish the server's cache can still hold the old md5, and it answers the
        // long poll at once: wait a moment instead of asking again and again.
        await sleep(250, signal);
        continue;
      }
      yield eventOf(ctx, where, ref.dataId, current, next);
      current = next;
    }
  } catch (e) {
    if (signal.aborted) return;
    throw e;
  }
}

function eventOf(ctx: NacosContext, where: Where, dataId: string, before: ConfigDetail | null, after: ConfigDetail | null): ConfigEvent {
  return {
    backend: ctx.o.name,
    namespace: where.namespace,
    group: where.group,
    dataId,
    op: after === null ? 'delete' : before === null ? 'create' : 'update',
    version: null,
    token: after?.md5 ?? null,
    md5: after?.md5 ?? null,
    content: after?.content ?? null,
    at: after?.updatedAt ?? new Date().toISOString(),
  };
}

/** One long poll; true when the server reports the config changed (its body names it). */
async function longPoll(ctx: NacosContext, level: ApiLevel, where: Where, dataId: string, md5: string, signal: AbortSignal): Promise<boolean> {
  const reply = await ctx.http.send({
    method: 'POST',
    path: '/v1/cs/configs/listener',
    form: { 'Listening-Configs': listeningConfigs(dataId, where.group, md5, tenantOf(where.namespace, level)) },
    headers: { 'Long-Pulling-Timeout': String(LONG_POLL_MS) },
    timeoutMs: LONG_POLL_MS + ctx.o.timeoutMs,
    signal,
  });
  rejectHtml(ctx.http.client, reply);
  if (reply.status !== 200) throw refused(ctx.http.client, `listen to config ${dataId}`, reply);
  return reply.text.trim() !== '';
}

/** The shared timed wait, but a cancelled one rejects: the caller must not read again after it. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await sleepUnlessAborted(ms, signal);
  if (signal.aborted) throw new OpsError('failed', 'the watch was cancelled');
}

/**
 * The clients listening to a config, with the md5 each holds (2.x `GET /v1/cs/configs/listener`,
 * 3.x `GET /v3/admin/cs/config/listener`). Nacos asks the listeners it holds itself; a client
 * whose md5 differs from the config's has not taken the current content.
 */
export async function listeners(ctx: NacosContext, ref: ConfigRef): Promise<ConfigListener[]> {
  const where = await ctx.namespaces.where(ref.scope);
  return ctx.http.withApi(async (level) => {
    const v3 = level === 'v3';
    const path = v3 ? '/v3/admin/cs/config/listener' : '/v1/cs/configs/listener';
    const reply = await ctx.http.send({ path, query: configParams(level, where, ref.dataId) });
    const s = ctx.http.shape(path);
    const what = `list the listeners of ${ref.dataId}`;
    const body = s.object(v3 ? envelopeData(ctx.http.client, reply, path, what) : legacyJson(ctx.http.client, reply, what), v3 ? 'data' : '');
    return v3 ? readListenerMap(s, body.listenersStatus, 'data.listenersStatus') : readListenerMap(s, body.lisentersGroupkeyStatus, 'lisentersGroupkeyStatus');
  });
}
