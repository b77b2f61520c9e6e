import { OpsError, usage } from '../../core/errors.js';
import type { InstanceView, MetadataChange, RegisterRequest, ServiceDetail, ServiceRef, Traffic, WriteNote } from '../../core/registry.js';
import { readAgentServices } from './answers.js';
import { textOf } from './consul-http.js';
import type { ConsulContext } from './context.js';
import { datacenterOf } from './datacenters.js';
import { instanceOf, maintenanceReasons } from './health.js';
import { agentOfNode, notOwned, ownerOf, type Owner } from './owner.js';
import { detailOf, readServiceHealth } from './service-read.js';

/**
 * The registry writes, all of them agent calls sent to the agent that owns the instance
 * (`owner.ts`), each saying where it went (`sentTo`):
 * - drain/undrain: maintenance mode (`PUT /v1/agent/service/maintenance/:id?enable=…&reason=…`);
 * - deregister: `PUT /v1/agent/service/deregister/:id` (a catalog deregister would be undone by
 *   the agent's anti-entropy at its next sync);
 * - heartbeat: `PUT /v1/agent/check/pass/:check` for each TTL check of the instance;
 * - register, and metadata and weight changes: `PUT /v1/agent/service/register`. Consul has no
 *   partial update, so a change re-registers the whole definition the owning agent holds, read
 *   right before (read-modify-write: Consul offers no compare-and-set for it), without checks,
 *   which the agent keeps as they are.
 */

/** How long a write waits for the catalog to show it (the agent syncs a change at once; the servers apply it a moment later). */
const SETTLE_MS = 5000;

export async function setTraffic(ctx: ConsulContext, ref: ServiceRef, id: string, traffic: Traffic): Promise<ServiceDetail> {
  const { owner, entry } = await ownerOf(ctx, ref, id);
  const enable = traffic === 'disabled';
  const reply = await ctx.http.send({
    method: 'PUT',
    agent: owner.agent,
    path: `/v1/agent/service/maintenance/${encodeURIComponent(id)}`,
    query: enable ? { enable: 'true', reason: `drained with opsdeck at ${new Date().toISOString()}` } : { enable: 'false' },
  });
  if (reply.status === 404) throw notOwned(ctx, owner, id, enable ? 'put it in maintenance' : 'take it out of maintenance', textOf(reply));
  if (reply.status !== 200) throw ctx.http.failure(reply, `${enable ? 'enable' : 'disable'} maintenance of ${id}`, owner.agent);
  const warnings: string[] = [];
  const nodeMaintenance = entry.checks.find((c) => c.checkId === '_node_maintenance');
  if (!enable && nodeMaintenance) {
    warnings.push(`node ${owner.node} is in maintenance itself (${nodeMaintenance.notes || 'no reason given'}), so ${id} stays out of traffic until that ends ("consul maint -disable" on the node)`);
  }
  if (enable) {
    // Consul keeps the first reason when maintenance was on already.
    const reasons = maintenanceReasons(entry);
    if (reasons.length > 0) warnings.push(`${id} was in maintenance already (${reasons.join('; ')}); Consul keeps that reason`);
  }
  return settled(ctx, ref, owner, id, (i) => i.traffic === traffic || (!enable && nodeMaintenance !== undefined), warnings);
}

export async function deregister(ctx: ConsulContext, ref: ServiceRef, id: string): Promise<WriteNote> {
  const { owner } = await ownerOf(ctx, ref, id);
  const reply = await ctx.http.send({ method: 'PUT', agent: owner.agent, path: `/v1/agent/service/deregister/${encodeURIComponent(id)}` });
  if (reply.status === 404) throw notOwned(ctx, owner, id, 'deregister it', textOf(reply));
  if (reply.status !== 200) throw ctx.http.failure(reply, `deregister ${id}`, owner.agent);
  return {
    sentTo: owner.sentTo,
    warnings: [`${id} is removed from ${owner.node}'s agent; if its process registers itself (Spring Cloud Consul, a consul client at start-up), it comes back when it registers again`],
  };
}

export async function heartbeat(ctx: ConsulContext, ref: ServiceRef, id: string): Promise<void> {
  const { owner, entry } = await ownerOf(ctx, ref, id);
  const ttl = entry.checks.filter((c) => c.serviceId === id && c.type === 'ttl');
  if (ttl.length === 0) {
    throw new OpsError('unsupported', `instance ${id} of ${ref.name} has no TTL check: its health comes from checks the agent runs itself, so there is no heartbeat to send`, 'only instances registered with a TTL check (--ephemeral) take heartbeats');
  }
  for (const c of ttl) {
    const reply = await ctx.http.send({ method: 'PUT', agent: owner.agent, path: `/v1/agent/check/pass/${encodeURIComponent(c.checkId)}`, query: { note: 'heartbeat from opsdeck' } });
    if (reply.status === 404) throw notOwned(ctx, owner, id, 'renew its TTL check', textOf(reply));
    if (reply.status !== 200) throw ctx.http.failure(reply, `pass check ${c.checkId}`, owner.agent);
  }
}

export async function updateMetadata(ctx: ConsulContext, ref: ServiceRef, id: string, change: MetadataChange): Promise<ServiceDetail> {
  const { owner } = await ownerOf(ctx, ref, id);
  const def = await definitionOf(ctx, owner, id);
  const meta: Record<string, string> = { ...((def.Meta as Record<string, string> | null) ?? {}), ...change.set };
  for (const k of change.remove) delete meta[k];
  await reregister(ctx, owner, { ...def, Meta: meta });
  const want = JSON.stringify(sorted(meta));
  return settled(ctx, ref, owner, id, (i) => JSON.stringify(sorted(i.metadata)) === want, [rmwNote(id, owner)]);
}

export async function setWeight(ctx: ConsulContext, ref: ServiceRef, id: string, weight: number): Promise<ServiceDetail> {
  const passing = consulWeight(weight);
  const { owner } = await ownerOf(ctx, ref, id);
  const def = await definitionOf(ctx, owner, id);
  const weights = (def.Weights as { Passing?: number; Warning?: number } | undefined) ?? {};
  await reregister(ctx, owner, { ...def, Weights: { Passing: passing, Warning: weights.Warning ?? 1 } });
  return settled(ctx, ref, owner, id, (i) => i.weight === passing, [rmwNote(id, owner)]);
}

/**
 * Registers through the profile's agent (the instance then belongs to its node), or re-registers
 * an instance already at that address through the agent that owns it, keeping its tags and other
 * fields. An ephemeral instance gets a TTL check that starts passing, with
 * DeregisterCriticalServiceAfter (`ephemeralDeregisterAfterMs`; Consul raises anything below one
 * minute to one minute), and registering counts as its heartbeat.
 */
export async function register(ctx: ConsulContext, ref: ServiceRef, req: RegisterRequest): Promise<ServiceDetail> {
  if (req.cluster !== undefined) throw usage('Consul services have no clusters', 'drop --cluster; tags and metadata (--meta) group instances in Consul');
  const self = await ctx.http.agentSelf();
  const datacenter = await datacenterOf(ctx, ref.scope);
  const passing = consulWeight(req.weight ?? 1);
  const existing = await readServiceHealth(ctx, ref.name, datacenter);
  const at = existing.entries.filter((e) => instanceOf(e).ip === req.ip && e.service.port === req.port);
  if (at.length > 1) throw usage(`${req.ip}:${req.port} names ${at.length} instances of ${ref.name}: ${at.map((e) => e.service.id).join(', ')}`, 'change one of them by its id (instances meta, instances weight)');
  let owner: Owner;
  let def: Record<string, unknown>;
  if (at.length === 1) {
    const e = at[0]!;
    owner = await agentOfNode(ctx, e.node.name, e.node.address, datacenter);
    def = await definitionOf(ctx, owner, e.service.id);
  } else {
    if (datacenter !== self.datacenter) {
      throw usage(`a registration goes through an agent, and the agent at ${ctx.o.url} is in datacenter ${self.datacenter}, not ${datacenter}`, `register through a profile whose url is an agent in ${datacenter}`);
    }
    owner = { node: self.nodeName, datacenter, agent: ctx.o.url, sentTo: `${self.nodeName}'s agent at ${ctx.o.url}` };
    def = { ID: `${ref.name}-${req.ip}-${req.port}`, Name: ref.name, Tags: [] };
  }
  const id = String(def.ID);
  const body: Record<string, unknown> = { ...def, Name: ref.name, Address: req.ip, Port: req.port, Meta: req.metadata, Weights: { Passing: passing, Warning: (def.Weights as { Warning?: number } | undefined)?.Warning ?? 1 } };
  if (req.ephemeral) {
    const ttlMs = req.ttlMs ?? 15_000;
    body.Check = { CheckID: `service:${id}`, Name: `Service '${ref.name}' TTL (opsdeck)`, TTL: goDuration(ttlMs), Status: 'passing', DeregisterCriticalServiceAfter: goDuration(Math.max(ctx.o.ephemeralDeregisterAfterMs, ttlMs)) };
  }
  await reregister(ctx, owner, body);
  if (req.ephemeral) {
    const pass = await ctx.http.send({ method: 'PUT', agent: owner.agent, path: `/v1/agent/check/pass/${encodeURIComponent(`service:${id}`)}`, query: { note: 'registered by opsdeck' } });
    if (pass.status !== 200) throw ctx.http.failure(pass, `pass the TTL check of ${id}`, owner.agent);
  }
  const weight = passing;
  return settled(ctx, ref, owner, id, (i) => i.ip === req.ip && i.port === req.port && i.weight === weight, []);
}

/** The definition the owning agent holds for the instance, as a registration body (`Service` becomes `Name`). */
async function definitionOf(ctx: ConsulContext, owner: Owner, id: string): Promise<Record<string, unknown>> {
  const path = '/v1/agent/services';
  const { body } = await ctx.http.getJson({ path, agent: owner.agent }, 'list its services');
  const svc = readAgentServices(ctx.http.shape(path, owner.agent), body).get(id);
  if (!svc) throw notOwned(ctx, owner, id, 're-register it', 'not among its services');
  if (typeof svc.Kind === 'string' && svc.Kind !== '') {
    throw new OpsError('unsupported', `${id} is a ${svc.Kind} (Consul service mesh): opsdeck does not re-register mesh proxies and gateways`, 'change it where it is defined (its sidecar or gateway configuration)');
  }
  const out: Record<string, unknown> = { Name: svc.Service };
  for (const k of REGISTRATION_FIELDS) if (svc[k] !== undefined) out[k] = svc[k];
  return out;
}

/** The fields of an agent's service that a registration takes back; indexes, Datacenter and ContentHash are the agent's own. */
const REGISTRATION_FIELDS = ['ID', 'Tags', 'Address', 'TaggedAddresses', 'Meta', 'Port', 'SocketPath', 'Weights', 'EnableTagOverride', 'Locality', 'Namespace', 'Partition'] as const;

async function reregister(ctx: ConsulContext, owner: Owner, body: Record<string, unknown>): Promise<void> {
  const reply = await ctx.http.send({ method: 'PUT', agent: owner.agent, path: '/v1/agent/service/register', json: body });
  if (reply.status === 400) throw new OpsError('usage', `${ctx.http.whereOf(owner.agent)} refused the registration of ${String(body.ID)}: ${textOf(reply)}`, "Consul's own words: metadata keys are letters, digits, _ and - (not starting with consul-), at most 64 keys");
  if (reply.status !== 200) throw ctx.http.failure(reply, `register ${String(body.ID)}`, owner.agent);
}

/** Reads the service until the instance shows `done` (or SETTLE_MS passes, then says so); the detail carries where the write went. */
async function settled(ctx: ConsulContext, ref: ServiceRef, owner: Owner, id: string, done: (i: InstanceView) => boolean, warnings: string[]): Promise<ServiceDetail> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const detail = detailOf(ctx, ref.name, await readServiceHealth(ctx, ref.name, owner.datacenter));
    const i = detail.instances.find((x) => x.id === id);
    const ok = i !== undefined && done(i);
    if (ok || Date.now() >= deadline) {
      if (!ok) warnings.push(`the catalog did not show the change of ${id} within ${SETTLE_MS / 1000} s; the agent accepted it and syncs it at its next anti-entropy run`);
      return { ...detail, sentTo: owner.sentTo, ...(warnings.length > 0 ? { warnings } : {}) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function rmwNote(id: string, owner: Owner): string {
  return `Consul has no partial update: ${id} was re-registered with the whole definition ${owner.node}'s agent held a moment before; its own process puts its registration back when it next registers`;
}

/** Consul weights are whole numbers, Passing at least 1; a drain (maintenance) is how Consul takes an instance out. */
function consulWeight(w: number): number {
  if (!Number.isInteger(w) || w < 1) throw usage(`Consul weights are whole numbers from 1, not ${w}`, 'to take an instance out of traffic, drain it (instances drain)');
  return w;
}

function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function sorted(m: Record<string, string>): Array<[string, string]> {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
