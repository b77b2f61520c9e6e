import { notFound, OpsError, usage } from '../../core/errors.js';
import { formatDuration } from '../../core/duration.js';
import type { InstanceView, MetadataChange, RegisterRequest, ServiceDetail, ServiceRef, Traffic } from '../../core/registry.js';
import type { HttpReply } from '../kit/http.js';
import type { EurekaApplication, EurekaInstance } from './answers.js';
import { leaseTimes, overrideOf } from './instance-view.js';
import { appPath, freshDetail, instancePath, readApp, readOne, type EurekaContext } from './reads.js';

/**
 * Eureka's writes (docs/dev/eureka-facts.md §3–4), each read back from `GET /apps/{APP}/{ID}`,
 * which Eureka answers from the registry itself, so the answer shows the write even on a server
 * whose listings come from its 30-second response cache.
 *
 * - drain: the OUT_OF_SERVICE status override, which clients and heartbeats do not lift;
 * - undrain: `DELETE …/status?value=UP`, and only where an override exists (without `value` an
 *   override turns into UNKNOWN and every heartbeat is refused; without an override the DELETE
 *   changes nothing, and an instance's own OUT_OF_SERVICE is not opsdeck's to lift);
 * - metadata: `PUT …/metadata` merges keys; removing keys is a re-registration of the instance as
 *   Eureka holds it, less those keys (a metadata PUT is a re-registration too, facts §4). Either
 *   lasts until the instance's own client registers again;
 * - register and heartbeat: instances that opsdeck keeps alive itself, with a lease;
 * - deregister: DELETE, then a watch for a client that registers itself again.
 */

/** The one data-center class Eureka's JSON codec takes for a non-AWS instance (facts §3). */
const DATA_CENTER = { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' };
const POLL_MS = 200;

/** The service, and the instance as the registry holds it right now. */
async function locate(ctx: EurekaContext, ref: ServiceRef, instanceId: string): Promise<{ app: EurekaApplication; inst: EurekaInstance }> {
  const app = await readApp(ctx, ref.name);
  const inst = await readOne(ctx, app.name, instanceId);
  if (inst === null) throw gone(ctx, app.name, instanceId);
  return { app, inst };
}

function gone(ctx: EurekaContext, app: string, id: string): OpsError {
  return notFound(`${ctx.http.where} no longer holds instance ${id} of ${app} (its lease ran out, or it was deregistered)`, `run "opsdeck services show ${app}" to see its instances`);
}

/** 200 is done, 404 is an instance that went meanwhile, anything else is Eureka refusing with its words. */
function expectOk(ctx: EurekaContext, reply: HttpReply, app: string, id: string, what: string): void {
  if (reply.status === 200 || reply.status === 204) return;
  if (reply.status === 404) throw gone(ctx, app, id);
  throw ctx.http.refused(what, reply);
}

/** Reads the instance until `done` holds or settleTimeoutMs runs out; the last copy read (null when gone). */
async function readBack(ctx: EurekaContext, app: string, id: string, done: (i: EurekaInstance | null) => boolean): Promise<{ settled: boolean; inst: EurekaInstance | null }> {
  const until = Date.now() + ctx.o.settleTimeoutMs;
  for (;;) {
    const inst = await readOne(ctx, app, id);
    if (done(inst)) return { settled: true, inst };
    if (Date.now() >= until) return { settled: false, inst };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The service with the instance as just read back; a write Eureka accepted but does not show is a failure, said as such. */
async function settled(ctx: EurekaContext, app: EurekaApplication, inst: EurekaInstance, done: (i: EurekaInstance) => boolean, what: string): Promise<ServiceDetail> {
  const r = await readBack(ctx, app.name, inst.id, (i) => i === null || done(i));
  if (r.inst === null) throw gone(ctx, app.name, inst.id);
  if (!r.settled) throw new OpsError('failed', `${ctx.http.where} accepted ${what}, but does not show it after ${ctx.o.settleTimeoutMs} ms`, `check with "opsdeck services show ${app.name}"`);
  return freshDetail(ctx, app, [r.inst]);
}

export async function setTraffic(ctx: EurekaContext, ref: ServiceRef, instanceId: string, traffic: Traffic): Promise<ServiceDetail> {
  const { app, inst } = await locate(ctx, ref, instanceId);
  const path = `${instancePath(app.name, inst.id)}/status`;
  if (traffic === 'disabled') {
    // Already out of traffic. Eureka ignores a status PUT equal to the current status, so an
    // instance that reports OUT_OF_SERVICE itself cannot be given the override as well.
    if (inst.status === 'OUT_OF_SERVICE') return freshDetail(ctx, app, [inst]);
    // The value must be upper case: Eureka answers 500 to anything else and changes nothing.
    expectOk(ctx, await ctx.http.send({ method: 'PUT', path, query: { value: 'OUT_OF_SERVICE' } }), app.name, inst.id, `drain ${inst.id}`);
    return settled(ctx, app, inst, (i) => i.status === 'OUT_OF_SERVICE', `the drain of ${inst.id}`);
  }
  if (inst.status !== 'OUT_OF_SERVICE') return freshDetail(ctx, app, [inst]);
  if (overrideOf(inst) === null) {
    // Eureka gives its own copy's UP or OUT_OF_SERVICE precedence over what a registration says, so
    // the instance keeps this status until it registers anew after its lease ends (facts §4).
    throw new OpsError(
      'failed',
      `instance ${inst.id} of ${app.name} reports OUT_OF_SERVICE itself: there is no override to remove, and Eureka keeps that status even when the instance registers again as UP`,
      'restart the application (deregistered first, it registers anew with its own status); opsdeck does not force UP over what the instance said',
    );
  }
  expectOk(ctx, await ctx.http.send({ method: 'DELETE', path, query: { value: 'UP' } }), app.name, inst.id, `undrain ${inst.id}`);
  return settled(ctx, app, inst, (i) => overrideOf(i) === null, `the undrain of ${inst.id}`);
}

export async function updateMetadata(ctx: EurekaContext, ref: ServiceRef, instanceId: string, change: MetadataChange): Promise<ServiceDetail> {
  const { app, inst } = await locate(ctx, ref, instanceId);
  if (change.remove.length === 0) {
    const reply = await ctx.http.send({ method: 'PUT', path: `${instancePath(app.name, inst.id)}/metadata`, query: change.set });
    expectOk(ctx, reply, app.name, inst.id, `change the metadata of ${inst.id}`);
  } else {
    const metadata = { ...Object.fromEntries(Object.entries(inst.metadata).filter(([k]) => !change.remove.includes(k))), ...change.set };
    // Eureka keeps a registration whose lastDirtyTimestamp is at least its own copy's, so the copy's is sent back as it is.
    const reply = await ctx.http.send({ method: 'POST', path: appPath(app.name), json: { instance: { ...inst.raw, metadata } } });
    expectOk(ctx, reply, app.name, inst.id, `re-register ${inst.id} without ${change.remove.join(', ')}`);
  }
  const done = (i: EurekaInstance) => Object.entries(change.set).every(([k, v]) => i.metadata[k] === v) && change.remove.every((k) => !(k in i.metadata));
  return settled(ctx, app, inst, done, `the metadata change of ${inst.id}`);
}

/** Whether the instance's client renewed within two of its intervals: a live client that will register again. */
function renewing(inst: EurekaInstance, now: number): boolean {
  if (inst.lease === null || inst.lease.lastRenewalTimestamp <= inst.lease.registrationTimestamp) return false;
  return now - leaseTimes(inst.lease).lastBeat <= 2 * Math.max(1, inst.lease.renewalIntervalInSecs) * 1000 + 1000;
}

export async function deregister(ctx: EurekaContext, ref: ServiceRef, instanceId: string): Promise<void> {
  const { app, inst } = await locate(ctx, ref, instanceId);
  const alive = renewing(inst, ctx.now());
  expectOk(ctx, await ctx.http.send({ method: 'DELETE', path: instancePath(app.name, inst.id) }), app.name, inst.id, `deregister ${inst.id}`);
  if (!alive) return;
  // A running client's next heartbeat gets 404 and registers the instance again (facts §7): watch one interval for it.
  const started = Date.now();
  const watchMs = Math.min(Math.max(1, inst.lease!.renewalIntervalInSecs) * 1000 + 1500, ctx.o.settleTimeoutMs);
  const r = await readBackFor(ctx, app.name, inst.id, watchMs);
  if (r !== null) {
    throw new OpsError(
      'failed',
      `${ctx.http.where} removed instance ${inst.id} of ${app.name}, but its application registered it again ${formatDuration(Date.now() - started)} later: a running Eureka client registers itself at its next heartbeat`,
      `stop the application (a graceful stop deregisters it), or drain it instead: opsdeck instances drain ${app.name} ${inst.id}`,
    );
  }
}

/** Watches for `ms` whether the instance is back; the copy that came back, or null. */
async function readBackFor(ctx: EurekaContext, app: string, id: string, ms: number): Promise<EurekaInstance | null> {
  const until = Date.now() + ms;
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const inst = await readOne(ctx, app, id);
    if (inst !== null || Date.now() >= until) return inst;
  }
}

/** One renewal of an instance's lease; Eureka answers 404 for one it no longer holds. */
export async function heartbeat(ctx: EurekaContext, ref: ServiceRef, instanceId: string): Promise<void> {
  const reply = await ctx.http.send({ method: 'PUT', path: instancePath(ref.name, instanceId) });
  expectOk(ctx, reply, ref.name.toUpperCase(), instanceId, `renew the lease of ${instanceId}`);
}

/** What a deregistration cannot promise: the confirmation says it before the user agrees. */
export function deregisterWarning(i: InstanceView, now: number): string {
  const beat = i.lastHeartbeat === null ? null : now - Date.parse(i.lastHeartbeat);
  const recent = beat !== null && i.lease?.durationMs != null && beat <= i.lease.durationMs;
  return recent
    ? `Its lease was renewed ${formatDuration(beat)} ago, so its application looks alive: a running Eureka client registers the instance again at its next heartbeat. Drain it instead, or stop the application.`
    : 'If its application is still running, its Eureka client registers the instance again at its next heartbeat.';
}

/**
 * Registers an instance that opsdeck keeps alive (a sidecar's, a test's): id `IP:PORT`, so
 * registering the same address again updates it. Eureka holds every instance by a lease, so only
 * ephemeral registrations are taken: a lease of `ttlMs` (whole seconds), renewed by `instances
 * heartbeat`. Eureka has no weights.
 */
export async function register(ctx: EurekaContext, ref: ServiceRef, req: RegisterRequest): Promise<ServiceDetail> {
  if (!req.ephemeral) throw usage('Eureka keeps an instance only while its lease is renewed, so it cannot hold a persistent one', 'register with --ephemeral --ttl 90s and renew it with "opsdeck instances heartbeat"');
  if (req.weight !== undefined) throw usage('Eureka has no instance weights', 'drop --weight');
  const name = ref.name.toUpperCase();
  const id = `${req.ip}:${req.port}`;
  const existing = await readApp(ctx, name).catch((e: unknown) => {
    if (e instanceof OpsError && e.kind === 'not-found') return { name, instances: [] } satisfies EurekaApplication;
    throw e;
  });
  const other = existing.instances.find((i) => i.id !== id && i.ipAddr === req.ip && (i.port?.port === req.port || i.securePort?.port === req.port));
  if (other) {
    throw new OpsError('conflict', `${req.ip}:${req.port} is already registered in ${name} as instance ${other.id}`, `that instance belongs to its own client; change it with "opsdeck instances meta ${name} ${other.id}", or pick another address`);
  }
  const durationInSecs = Math.max(1, Math.ceil((req.ttlMs ?? 90_000) / 1000));
  const previous = existing.instances.find((i) => i.id === id)?.lastDirtyTimestamp ?? 0;
  const instance = {
    instanceId: id,
    hostName: req.ip,
    app: name,
    ipAddr: req.ip,
    vipAddress: ref.name.toLowerCase(),
    secureVipAddress: ref.name.toLowerCase(),
    status: 'UP',
    port: { $: req.port, '@enabled': 'true' },
    securePort: { $: 443, '@enabled': 'false' },
    dataCenterInfo: DATA_CENTER,
    leaseInfo: { renewalIntervalInSecs: Math.max(1, Math.floor(durationInSecs / 3)), durationInSecs },
    metadata: { ...req.metadata, ...(req.cluster === undefined ? {} : { zone: req.cluster }) },
    // Eureka keeps its own copy when that one is dirtier, so a re-registration must be at least as new.
    lastDirtyTimestamp: String(Math.max(ctx.now(), previous + 1)),
  };
  const reply = await ctx.http.send({ method: 'POST', path: appPath(name), json: { instance } });
  if (reply.status !== 204 && reply.status !== 200) throw ctx.http.refused(`register ${id} in ${name}`, reply);
  const r = await readBack(ctx, name, id, (i) => i !== null && Object.entries(instance.metadata).every(([k, v]) => i.metadata[k] === v));
  if (!r.settled || r.inst === null) throw new OpsError('failed', `${ctx.http.where} accepted the registration of ${id} in ${name}, but does not show it after ${ctx.o.settleTimeoutMs} ms`, `check with "opsdeck services show ${name}"`);
  return freshDetail(ctx, existing, [r.inst]);
}
