import { notFound, OpsError } from '../../core/errors.js';
import type { ServiceRef } from '../../core/registry.js';
import { readAgentSelf, type HealthEntry } from './answers.js';
import type { ConsulContext } from './context.js';
import { datacenterOf } from './datacenters.js';
import { readServiceHealth, type HealthRead } from './service-read.js';

/**
 * The agent that owns an instance. Maintenance, agent deregistration, TTL heartbeats and
 * re-registration are agent calls: any other agent answers 404 "Unknown service ID", and a write
 * to the catalog behind the agent's back is undone by its anti-entropy. The owner is the agent of
 * the instance's node: `agents.<node>` from the profile, the profile's own agent when it is that
 * node, else the node's address with the agent port. Before a write opsdeck asks that agent who
 * it is (/v1/agent/self), so a wrong mapping is refused instead of acting on another node.
 */
export interface Owner {
  node: string;
  datacenter: string;
  /** The agent's base URL. */
  agent: string;
  /** "node-2's agent at http://10.0.1.12:8500", for results and messages. */
  sentTo: string;
}

export interface Owned {
  owner: Owner;
  entry: HealthEntry;
  read: HealthRead;
}

/** The instance, its entry in the health answer and the agent that owns it. */
export async function ownerOf(ctx: ConsulContext, ref: ServiceRef, instanceId: string): Promise<Owned> {
  const datacenter = await datacenterOf(ctx, ref.scope);
  const read = await readServiceHealth(ctx, ref.name, datacenter);
  const entry = read.entries.find((e) => e.service.id === instanceId);
  if (!entry) throw notFound(`instance ${instanceId} of service ${ref.name} is not registered in datacenter ${datacenter} on ${ctx.http.where}`, `run "opsdeck services show ${ref.name}" to see its instances`);
  return { owner: await agentOfNode(ctx, entry.node.name, entry.node.address, datacenter), entry, read };
}

export async function agentOfNode(ctx: ConsulContext, node: string, address: string, datacenter: string): Promise<Owner> {
  const self = await ctx.http.agentSelf();
  const mapped = ctx.o.agents[node];
  const local = mapped === undefined && self.nodeName === node && self.datacenter === datacenter;
  const agent = mapped ?? (local ? ctx.o.url : agentUrl(ctx, address));
  const owner = { node, datacenter, agent, sentTo: `${node}'s agent at ${agent}` };
  // The profile's agent said who it is already; any other is asked.
  if (!local) await verify(ctx, owner);
  return owner;
}

/** The URL of the agent on a node: the node's address, the scheme of the profile's url, and `agentPort` (else the url's port, else 8500). */
export function agentUrl(ctx: Pick<ConsulContext, 'o'>, address: string): string {
  const base = new URL(ctx.o.url);
  const port = ctx.o.agentPort ?? (base.port === '' ? 8500 : Number(base.port));
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `${base.protocol}//${host}:${port}`;
}

const verified = new WeakMap<ConsulContext, Map<string, Promise<string>>>();

/** Refuses to act through an agent that is not the node's own (a stale `agents:` mapping, a reused address). */
async function verify(ctx: ConsulContext, owner: Owner): Promise<void> {
  let cache = verified.get(ctx);
  if (!cache) verified.set(ctx, (cache = new Map()));
  let name = cache.get(owner.agent);
  if (!name) {
    const path = '/v1/agent/self';
    name = ctx.http.getJson({ path, agent: owner.agent }, 'describe itself').then(({ body }) => readAgentSelf(ctx.http.shape(path, owner.agent), body).nodeName);
    name.catch(() => cache.delete(owner.agent));
    cache.set(owner.agent, name);
  }
  const actual = await name;
  if (actual !== owner.node) {
    throw new OpsError('config', `the agent at ${owner.agent} is node ${actual}, not ${owner.node}, which owns the instance`, `map ${owner.node} to its own agent under agents: in the profile (agent calls must reach the agent the instance registered with)`);
  }
}

/** An agent answered 404 for the instance: it does not own it (it was registered through the catalog, not an agent). */
export function notOwned(ctx: ConsulContext, owner: Owner, instanceId: string, what: string, words: string): OpsError {
  return new OpsError('failed', `${ctx.http.whereOf(owner.agent)} (${owner.node}) does not own instance ${instanceId}, so it cannot ${what} (${words})`, 'the instance was registered through the catalog API, not an agent: change it where it was registered');
}
