import { notFound, OpsError, usage } from '../../core/errors.js';
import { matchInstance, type InstanceView, type MetadataChange, type RegisterRequest, type ServiceDetail, type ServiceRef, type Traffic } from '../../core/registry.js';
import { describeScope } from '../../core/scope.js';
import type { NacosContext } from './context.js';
import { readInstances } from './instances.js';
import type { Where } from './namespaces.js';
import { envelope, envelopeData, expectWord, legacyJson, refused } from './replies.js';
import type { ApiLevel } from './server-facts.js';
import { settle } from './settle.js';

/**
 * Instance writes. Nacos keeps admin changes (enabled, weight, metadata) as an override laid over
 * what the instance registered, and the two update endpoints are less partial than their names:
 * measured on 2.3.2 and 3.0.3, an update that leaves out `weight` resets it to 1 and one that
 * leaves out `enabled` enables the instance again. So every update sends the instance's current
 * weight and enabled state along with the change (read just before: Nacos has no compare-and-set
 * for instances, so a change made by someone else in between is overwritten). Metadata keys are
 * merged (3.x `PUT /v3/admin/ns/instance/partial`, 2.x `PATCH /v1/ns/instance`); removing keys
 * needs the full update (`PUT`), which replaces the override with the whole metadata, and cannot
 * remove a key the instance registered itself (the override can only add and change keys): a
 * persistent instance is then registered again with the metadata wanted; an ephemeral one belongs
 * to its client, and the error says so.
 * Every write is read back until Nacos shows it (`settleTimeoutMs`).
 */

export async function readDetail(ctx: NacosContext, ref: ServiceRef, signal?: AbortSignal): Promise<ServiceDetail> {
  const where = await ctx.namespaces.where(ref.scope);
  const instances = await ctx.http.withApi((level) => readInstances(ctx.http, level, where, ref.name, ctx.o.pageSize, signal));
  return { backend: ctx.o.name, namespace: where.namespace, group: where.group, name: ref.name, instances };
}

/** The service, or no instances while Nacos has not yet created it (a first registration) or has dropped it. */
async function readOrEmpty(ctx: NacosContext, ref: ServiceRef): Promise<ServiceDetail> {
  try {
    return await readDetail(ctx, ref);
  } catch (e) {
    if (!(e instanceof OpsError && e.kind === 'not-found')) throw e;
    const where = await ctx.namespaces.where(ref.scope);
    return { backend: ctx.o.name, namespace: where.namespace, group: where.group, name: ref.name, instances: [] };
  }
}

/** The instance a user named (its id, or an unambiguous IP:PORT) in a fresh read of the service. */
async function locate(ctx: NacosContext, ref: ServiceRef, instanceId: string): Promise<{ detail: ServiceDetail; where: Where; inst: InstanceView }> {
  const detail = await readDetail(ctx, ref);
  const where = { namespace: detail.namespace!, group: detail.group! };
  const m = matchInstance(detail, instanceId);
  if (m.kind === 'found') return { detail, where, inst: m.instance };
  if (m.kind === 'ambiguous') throw usage(`${instanceId} names ${m.candidates.length} instances of ${ref.name}: ${m.candidates.map((c) => c.id).join(', ')}`, 'give the instance id instead');
  throw notFound(`instance ${instanceId} not found in service ${ref.name} (${describeScope(where)}) on ${ctx.http.where}`, `instances of ${ref.name}: ${detail.instances.map((i) => i.id).join(', ') || 'none'}`);
}

function addressOf(where: Where, service: string, inst: Pick<InstanceView, 'ip' | 'port' | 'cluster'>): Record<string, string | number> {
  return { serviceName: service, groupName: where.group, namespaceId: where.namespace, ip: inst.ip, port: inst.port, clusterName: inst.cluster ?? 'DEFAULT' };
}

const same = (a: InstanceView, b: Pick<InstanceView, 'ip' | 'port' | 'cluster'>) => a.ip === b.ip && a.port === b.port && (a.cluster ?? 'DEFAULT') === (b.cluster ?? 'DEFAULT');

/** Reads the service until `done` holds for the instance, or fails saying what Nacos still shows. */
async function readBack(ctx: NacosContext, ref: ServiceRef, target: Pick<InstanceView, 'ip' | 'port' | 'cluster'>, done: (i: InstanceView | undefined) => boolean, what: string): Promise<ServiceDetail> {
  const r = await settle(() => readOrEmpty(ctx, ref), (d) => done(d.instances.find((i) => same(i, target))), ctx.o.settleTimeoutMs);
  if (!r.settled) throw new OpsError('failed', `${ctx.http.where} accepted ${what}, but does not show it after ${ctx.o.settleTimeoutMs} ms`, `check with instances show ${ref.name}; Nacos may apply it later`);
  return r.value;
}

interface Override {
  weight: number;
  enabled: boolean;
  metadata?: Record<string, string>;
  /** Replace the override's metadata instead of merging into it. */
  replace: boolean;
}

async function writeOverride(ctx: NacosContext, level: ApiLevel, where: Where, service: string, inst: InstanceView, change: Override): Promise<void> {
  const form = {
    ...addressOf(where, service, inst),
    ephemeral: String(inst.ephemeral ?? true),
    weight: change.weight,
    enabled: String(change.enabled),
    ...(change.metadata !== undefined ? { metadata: JSON.stringify(change.metadata) } : {}),
  };
  const what = `update instance ${inst.id}`;
  if (level === 'v3') {
    const path = change.replace ? '/v3/admin/ns/instance' : '/v3/admin/ns/instance/partial';
    envelopeData(ctx.http.client, await ctx.http.send({ method: 'PUT', path, form }), path, what);
  } else {
    expectWord(ctx.http.client, await ctx.http.send({ method: change.replace ? 'PUT' : 'PATCH', path: '/v1/ns/instance', form }), 'ok', what);
  }
}

export async function setTraffic(ctx: NacosContext, ref: ServiceRef, instanceId: string, traffic: Traffic): Promise<ServiceDetail> {
  return ctx.http.withApi(async (level) => {
    const { detail, where, inst } = await locate(ctx, ref, instanceId);
    if (inst.traffic === traffic) return detail;
    await writeOverride(ctx, level, where, ref.name, inst, { weight: inst.weight ?? 1, enabled: traffic === 'enabled', replace: false });
    return readBack(ctx, ref, inst, (i) => i?.traffic === traffic, `${traffic === 'enabled' ? 'enabling' : 'disabling'} ${inst.id}`);
  });
}

export async function setWeight(ctx: NacosContext, ref: ServiceRef, instanceId: string, weight: number): Promise<ServiceDetail> {
  return ctx.http.withApi(async (level) => {
    const { where, inst } = await locate(ctx, ref, instanceId);
    await writeOverride(ctx, level, where, ref.name, inst, { weight, enabled: inst.enabled, replace: false });
    return readBack(ctx, ref, inst, (i) => i?.weight === weight, `weight ${weight} for ${inst.id}`);
  });
}

export async function updateMetadata(ctx: NacosContext, ref: ServiceRef, instanceId: string, change: MetadataChange): Promise<ServiceDetail> {
  return ctx.http.withApi(async (level) => {
    const { where, inst } = await locate(ctx, ref, instanceId);
    const replace = change.remove.length > 0;
    const metadata = replace ? { ...withoutKeys(inst.metadata, change.remove), ...change.set } : change.set;
    await writeOverride(ctx, level, where, ref.name, inst, { weight: inst.weight ?? 1, enabled: inst.enabled, metadata, replace });
    // The override cannot remove a key the instance registered itself. A persistent instance has no
    // client that owns its registration, so it is registered again with the metadata wanted (same
    // address, cluster, weight and traffic: Nacos updates it in place).
    if (replace && inst.ephemeral === false && change.remove.some((k) => k in inst.metadata)) await reRegister(ctx, level, where, ref.name, inst, metadata);
    const setDone = (i: InstanceView) => Object.entries(change.set).every(([k, v]) => i.metadata[k] === v);
    const kept = (i: InstanceView) => change.remove.filter((k) => k in i.metadata);
    const r = await settle(() => readDetail(ctx, ref), (d) => {
      const i = d.instances.find((x) => same(x, inst));
      return i !== undefined && setDone(i) && kept(i).length === 0;
    }, ctx.o.settleTimeoutMs);
    if (r.settled) return r.value;
    const now = r.value.instances.find((x) => same(x, inst));
    if (now !== undefined && setDone(now)) {
      // The override can add and change keys, never remove a key the instance registered itself.
      const keys = kept(now);
      throw new OpsError(
        'failed',
        `${ctx.http.where} still shows metadata ${keys.join(', ')} on ${inst.id}: the instance registered ${keys.length === 1 ? 'that key' : 'those keys'} itself, and Nacos' admin API can add and change keys but not remove those (the other changes were applied)`,
        'remove the key where the application registers, or set it to an empty value',
      );
    }
    throw new OpsError('failed', `${ctx.http.where} accepted the metadata change for ${inst.id}, but does not show it after ${ctx.o.settleTimeoutMs} ms`, `check with instances show ${ref.name}; Nacos may apply it later`);
  });
}

async function reRegister(ctx: NacosContext, level: ApiLevel, where: Where, service: string, inst: InstanceView, metadata: Record<string, string>): Promise<void> {
  const form = { ...addressOf(where, service, inst), weight: inst.weight ?? 1, enabled: String(inst.enabled), healthy: String(inst.healthy), ephemeral: 'false', metadata: JSON.stringify(metadata) };
  const what = `register ${inst.id} again with its new metadata`;
  if (level === 'v3') envelopeData(ctx.http.client, await ctx.http.send({ method: 'POST', path: '/v3/admin/ns/instance', form }), '/v3/admin/ns/instance', what);
  else expectWord(ctx.http.client, await ctx.http.send({ method: 'POST', path: '/v1/ns/instance', form }), 'ok', what);
}

function withoutKeys(m: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !keys.includes(k)));
}

/**
 * Registers (or updates the instance with the same address). Nacos refuses, for example, an
 * ephemeral instance in a service that holds persistent ones; its words are shown verbatim.
 * Nacos decides how long an ephemeral instance lives without heartbeats (15 s to unhealthy, 30 s
 * to removal, unless the metadata sets `preserved.heart.beat.timeout` / `preserved.ip.delete.timeout`):
 * it has no TTL field, so a request with `ttlMs` is refused before anything is sent, naming the
 * metadata keys that do it the Nacos way.
 */
export async function register(ctx: NacosContext, ref: ServiceRef, req: RegisterRequest): Promise<ServiceDetail> {
  if (req.ttlMs !== undefined) {
    throw usage(
      `registry ${ctx.o.name} (Nacos) takes no TTL for an instance: Nacos marks an ephemeral instance unhealthy after 15 s and removes it after 30 s without heartbeats, unless its metadata says otherwise; nothing was registered`,
      `drop --ttl, or set the timeouts as metadata: --meta preserved.heart.beat.timeout=${req.ttlMs} --meta preserved.ip.delete.timeout=${req.ttlMs} (milliseconds, above preserved.heart.beat.interval, 5000 by default)`,
    );
  }
  return ctx.http.withApi(async (level) => {
    const where = await ctx.namespaces.where(ref.scope);
    const target = { ip: req.ip, port: req.port, cluster: req.cluster ?? 'DEFAULT' };
    const form = { ...addressOf(where, ref.name, target), weight: req.weight ?? 1, enabled: 'true', healthy: 'true', ephemeral: String(req.ephemeral), metadata: JSON.stringify(req.metadata) };
    const what = `register ${req.ip}:${req.port} in service ${ref.name} (${describeScope(where)})`;
    if (level === 'v3') envelopeData(ctx.http.client, await ctx.http.send({ method: 'POST', path: '/v3/admin/ns/instance', form }), '/v3/admin/ns/instance', what);
    else expectWord(ctx.http.client, await ctx.http.send({ method: 'POST', path: '/v1/ns/instance', form }), 'ok', what);
    const wanted = (i: InstanceView | undefined) => i !== undefined && i.weight === (req.weight ?? 1) && Object.entries(req.metadata).every(([k, v]) => i.metadata[k] === v);
    return readBack(ctx, ref, target, wanted, `the registration of ${req.ip}:${req.port}`);
  });
}

export async function deregister(ctx: NacosContext, ref: ServiceRef, instanceId: string): Promise<void> {
  await ctx.http.withApi(async (level) => {
    const { where, inst } = await locate(ctx, ref, instanceId);
    // Nacos wants the instance's own ephemeral flag and cluster; it answers "ok" even for an instance it does not hold.
    const query = { ...addressOf(where, ref.name, inst), ephemeral: String(inst.ephemeral ?? true) };
    const what = `deregister ${inst.id}`;
    if (level === 'v3') envelopeData(ctx.http.client, await ctx.http.send({ method: 'DELETE', path: '/v3/admin/ns/instance', query }), '/v3/admin/ns/instance', what);
    else expectWord(ctx.http.client, await ctx.http.send({ method: 'DELETE', path: '/v1/ns/instance', query }), 'ok', what);
    const r = await settle(() => readOrEmpty(ctx, ref), (d) => !d.instances.some((i) => same(i, inst)), ctx.o.settleTimeoutMs);
    if (!r.settled) {
      throw new OpsError(
        'failed',
        `${ctx.http.where} accepted the deregistration of ${inst.id}, but still lists it after ${ctx.o.settleTimeoutMs} ms`,
        inst.ephemeral === false ? 'check with instances show; Nacos may apply it later' : 'an ephemeral instance belongs to its client: while the client runs (heartbeats or a gRPC connection), it stays or registers again; stop the client, or drain the instance instead',
      );
    }
  });
}

/**
 * One heartbeat for an ephemeral instance registered over HTTP (3.x: the v3 client API; 1.x/2.x:
 * the v1 light beat, which never re-registers an instance Nacos no longer holds).
 */
export async function heartbeat(ctx: NacosContext, ref: ServiceRef, instanceId: string): Promise<void> {
  await ctx.http.withApi(async (level) => {
    const { where, inst } = await locate(ctx, ref, instanceId);
    if (inst.ephemeral === false) {
      throw new OpsError('unsupported', `instance ${inst.id} is persistent: Nacos checks persistent instances itself and takes no heartbeats for them`, 'heartbeats keep ephemeral instances alive');
    }
    const gone = () => notFound(`${ctx.http.where} no longer holds a heartbeat-kept instance ${inst.id} (an instance of a gRPC client, or one that expired)`, 'register it again, or let its own client keep it');
    if (level === 'v3') {
      const path = '/v3/client/ns/instance';
      const reply = await ctx.http.send({ method: 'POST', path, form: { ...addressOf(where, ref.name, inst), ephemeral: 'true', heartBeat: 'true' } });
      const env = envelope(ctx.http.client, reply, path);
      if (env.code === 21003 || env.code === 20404) throw gone();
      if (env.code !== 0) throw refused(ctx.http.client, `take a heartbeat for ${inst.id}`, reply);
      return;
    }
    const path = '/v1/ns/instance/beat';
    const { serviceName, groupName, ...rest } = addressOf(where, ref.name, inst);
    const reply = await ctx.http.send({ method: 'PUT', path, query: { ...rest, serviceName: `${groupName}@@${serviceName}` } });
    const body = ctx.http.shape(path).object(legacyJson(ctx.http.client, reply, `take a heartbeat for ${inst.id}`));
    if (body.code === 20404) throw gone();
    if (body.code !== 10200 && body.code !== 200) throw refused(ctx.http.client, `take a heartbeat for ${inst.id}`, reply);
  });
}
