import { ConsulHttp } from '../../src/adapters/consul/consul-http.js';
import { consulAdapter, type ConsulAdapter } from '../../src/adapters/consul/index.js';
import { parseConsulOptions } from '../../src/adapters/consul/options.js';
import { OpsError } from '../../src/core/errors.js';
import { startConsulFake, type ConsulFake, type RecordedRequest } from '../servers/consul-fake.js';

/*
 * Shared by the Consul adapter tests. No Consul server can run on this machine (no package ships
 * the binary, no downloads, no Docker), so every Consul test runs against the in-process fake
 * (test/servers/consul-fake.ts), which keeps real state and applies Consul's rules as read in its
 * source and docs, and which real clients (npm consul, Spring Cloud Consul) have been checked
 * against (test/interop/consul-clients.test.ts).
 */

export const OPERATOR = 'b1f0b4a2-3c5d-4e6f-8a9b-0c1d2e3f4a5b';
export const READER = '4e7f2a91-6b3c-4d5e-9f80-1a2b3c4d5e6f';
export const READER_ACCESSOR = '7c1bd1f6-0c7e-4a35-9e3d-52a6f6f1c0aa';

/** Two agents in dc1 and one in dc2, ACLs on with deny by default: an operator token and a reader limited to config/. */
export function startAclFake(more: Parameters<typeof startConsulFake>[0] = {}): Promise<ConsulFake> {
  return startConsulFake({
    datacenters: { dc1: ['node-1', 'node-2'], dc2: ['dc2-node-1'] },
    acl: {
      defaultPolicy: 'deny',
      tokens: [
        { accessorId: 'a0a0a0a0-0000-4000-8000-000000000001', secretId: OPERATOR, rules: { key: { '': 'write' }, service: { '': 'write' }, node: { '': 'write' }, agent: { '': 'write' } } },
        { accessorId: READER_ACCESSOR, secretId: READER, rules: { key: { 'config/': 'read' }, service: { '': 'read' }, node: { '': 'read' }, agent: { '': 'read' } } },
      ],
    },
    ...more,
  });
}

/** An adapter on the fake's first agent with the given profile options (the operator token unless told otherwise). */
export function adapterOn(fake: ConsulFake, options: Record<string, unknown> = {}, name = 'consul-test'): ConsulAdapter {
  return consulAdapter(new ConsulHttp(parseConsulOptions({ url: fake.url, token: OPERATOR, blockingMinGapMs: 20, ...options }, name)));
}

/** The requests since `from` that match a method and a path pattern. */
export function requestsSince(fake: ConsulFake, from: number, method: string, path: string | RegExp): RecordedRequest[] {
  return fake.requests.slice(from).filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
}

export async function failure(p: Promise<unknown>): Promise<OpsError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof OpsError)) throw new Error(`expected an OpsError, got ${e === null ? 'success' : String(e)}`);
  return e;
}

/** The fake's own record of a service instance in a datacenter (its state API, not HTTP). */
export function catalogInstance(fake: ConsulFake, id: string, dc = 'dc1') {
  for (const { svc, node } of allInstances(fake, dc)) if (svc.ID === id) return { svc, node, checks: fake.dc(dc).checksFor(node.Node, id) };
  return undefined;
}

function allInstances(fake: ConsulFake, dc: string) {
  const d = fake.dc(dc);
  const names = new Set<string>();
  for (const byId of d.services.values()) for (const s of byId.values()) names.add(s.Service);
  return [...names].flatMap((n) => d.instances(n));
}

/** Polls a condition on the fake's state (a query parked, a request seen) every 10 ms, up to `ms`. */
export async function waitUntil(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
