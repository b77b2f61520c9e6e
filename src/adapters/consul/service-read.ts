import { notFound, OpsError } from '../../core/errors.js';
import type { ServiceDetail, ServiceRef } from '../../core/registry.js';
import { readHealth, type HealthEntry } from './answers.js';
import { anonymousDenied, consulIndex, filteredByAcls } from './consul-http.js';
import type { ConsulContext } from './context.js';
import { datacenterOf } from './datacenters.js';
import { instanceOf } from './health.js';

/** One read of a service's health: its entries, the index for a blocking follow-up, and whether ACLs hid some. */
export interface HealthRead {
  datacenter: string;
  entries: HealthEntry[];
  index: number | null;
  filtered: boolean;
  /** No token, and ACLs deny by default: an empty answer says nothing about the service. */
  anonymousDenied: boolean;
}

/**
 * /v1/health/service/:name in one datacenter: every instance with its checks and its node's
 * (not `?passing`: a drained or failing instance must show). With `block`, a blocking query that
 * the server holds until the service changes past `block.index` or `block.waitMs` runs out.
 */
export async function readServiceHealth(ctx: ConsulContext, name: string, datacenter: string, o: { signal?: AbortSignal; block?: { index: number; waitMs: number } } = {}): Promise<HealthRead> {
  const path = `/v1/health/service/${encodeURIComponent(name)}`;
  const query: Record<string, string> = { dc: datacenter };
  if (o.block) Object.assign(query, { index: String(o.block.index), wait: `${Math.ceil(o.block.waitMs / 1000)}s` });
  const { body, reply } = await ctx.http.getJson(
    { path, query, ...(o.signal ? { signal: o.signal } : {}), ...(o.block ? { timeoutMs: blockingTimeout(ctx, o.block.waitMs) } : {}) },
    `read the health of service ${name}`,
  );
  return { datacenter, entries: readHealth(ctx.http.shape(path), body), index: consulIndex(reply), filtered: filteredByAcls(reply), anonymousDenied: anonymousDenied(ctx.http, reply) };
}

/** A blocking query may be held for its wait plus Consul's jitter (wait/16); the request deadline adds the usual timeout. */
export function blockingTimeout(ctx: ConsulContext, waitMs: number): number {
  return waitMs + Math.ceil(waitMs / 16) + ctx.o.timeoutMs;
}

export async function getService(ctx: ConsulContext, ref: ServiceRef, signal?: AbortSignal): Promise<ServiceDetail> {
  const datacenter = await datacenterOf(ctx, ref.scope);
  const read = await readServiceHealth(ctx, ref.name, datacenter, signal ? { signal } : {});
  return detailOf(ctx, ref.name, read);
}

/** The service as opsdeck shows it; no instance is not-found (a Consul service exists while it has instances). */
export function detailOf(ctx: ConsulContext, name: string, read: HealthRead): ServiceDetail {
  if (read.entries.length === 0 && read.anonymousDenied) {
    throw new OpsError('unauthorized', `${ctx.http.where} shows no service ${name} in datacenter ${read.datacenter} to a request without an ACL token, and its ACLs deny by default`, 'set token in the profile, e.g. token: ${CONSUL_HTTP_TOKEN} or ${file:/run/secrets/consul-token}');
  }
  if (read.entries.length === 0) {
    const acl = read.filtered ? ' (Consul filtered the answer by ACLs: the token may not read it)' : '';
    throw notFound(`service ${name} not found in datacenter ${read.datacenter} on ${ctx.http.where}${acl}`, 'names are case-sensitive; "opsdeck services list" shows the services');
  }
  return { backend: ctx.o.name, datacenter: read.datacenter, name, instances: read.entries.map(instanceOf) };
}
