import { notFound, OpsError, usage } from '../../core/errors.js';
import type { BetaRelease, ConfigRef } from '../../core/config-center.js';
import { describeScope } from '../../core/scope.js';
import type { ConfigType } from '../../core/types.js';
import { readBeta } from './config-answers.js';
import { configParams, publish, readConfig } from './config-store.js';
import type { NacosContext } from './context.js';
import type { Where } from './namespaces.js';
import { envelope, legacyJson, refused } from './replies.js';
import type { ApiLevel } from './server-facts.js';
import { settle } from './settle.js';

/**
 * Beta (gray) releases: a publish with the `betaIps` header stores a second content that only
 * the listed client addresses read; the released content stays. 2.x reads and stops it through
 * `/v1/cs/configs?beta=true`, 3.x through `/v3/admin/cs/config/beta` (3.x keeps it as a gray rule
 * named "beta" whose `expr` is the IP list).
 */

export async function publishBeta(ctx: NacosContext, ref: ConfigRef, content: string, type: ConfigType, ips: string[]): Promise<void> {
  const list = ips.map((ip) => ip.trim()).filter((ip) => ip !== '');
  if (list.length === 0) throw usage('a beta release needs at least one client address', 'list the addresses, for example --beta-ips 10.0.0.5,10.0.0.6');
  const where = await ctx.namespaces.where(ref.scope);
  await ctx.http.withApi(async (level) => {
    const current = await readConfig(ctx, level, where, ref.dataId);
    await publish(ctx, level, where, ref.dataId, content, type, current?.desc ?? null, { betaIps: list.join(',') });
    const r = await settle(() => readBetaOf(ctx, level, where, ref.dataId), (b) => b !== null && b.content === content, ctx.o.settleTimeoutMs);
    if (!r.settled) throw new OpsError('failed', `${ctx.http.where} accepted the beta release of ${ref.dataId}, but does not show it after ${ctx.o.settleTimeoutMs} ms`, 'check with the beta query');
  });
}

export async function getBeta(ctx: NacosContext, ref: ConfigRef): Promise<BetaRelease | null> {
  const where = await ctx.namespaces.where(ref.scope);
  return ctx.http.withApi((level) => readBetaOf(ctx, level, where, ref.dataId));
}

export async function stopBeta(ctx: NacosContext, ref: ConfigRef): Promise<void> {
  const where = await ctx.namespaces.where(ref.scope);
  await ctx.http.withApi(async (level) => {
    // 3.x answers a stop without a beta with HTTP 200 and code 30000: ask first, to say it plainly.
    if ((await readBetaOf(ctx, level, where, ref.dataId)) === null) {
      throw notFound(`config ${ref.dataId} (${describeScope(where)}) has no beta release on ${ctx.http.where}`, 'nothing to stop');
    }
    const path = level === 'v3' ? '/v3/admin/cs/config/beta' : '/v1/cs/configs';
    const reply = await ctx.http.send({ method: 'DELETE', path, query: { ...configParams(level, where, ref.dataId), ...(level === 'v3' ? {} : { beta: 'true' }) } });
    const what = `stop the beta release of ${ref.dataId}`;
    const env = level === 'v3' ? envelope(ctx.http.client, reply, path) : null;
    const ok = env !== null ? env.code === 0 : ctx.http.shape(path).object(legacyJson(ctx.http.client, reply, what)).data === true;
    if (!ok) throw refused(ctx.http.client, what, reply);
    const r = await settle(() => readBetaOf(ctx, level, where, ref.dataId), (b) => b === null, ctx.o.settleTimeoutMs);
    if (!r.settled) throw new OpsError('failed', `${ctx.http.where} accepted stopping the beta release of ${ref.dataId}, but still shows it after ${ctx.o.settleTimeoutMs} ms`, 'check with the beta query');
  });
}

async function readBetaOf(ctx: NacosContext, level: ApiLevel, where: Where, dataId: string): Promise<BetaRelease | null> {
  const { http } = ctx;
  const what = `read the beta release of ${dataId}`;
  if (level === 'v3') {
    const path = '/v3/admin/cs/config/beta';
    const reply = await http.send({ path, query: configParams(level, where, dataId) });
    const env = envelope(http.client, reply, path);
    if (env.code === 20004 || reply.status === 404) return null;
    if (env.code !== 0) throw refused(http.client, what, reply);
    return env.data === null ? null : readBeta(http.shape(path), env.data, 'data');
  }
  const path = '/v1/cs/configs';
  const body = http.shape(path).object(legacyJson(http.client, await http.send({ path, query: { ...configParams(level, where, dataId), beta: 'true' } }), what));
  return body.data === null || body.data === undefined ? null : readBeta(http.shape(path), body.data, 'data');
}
