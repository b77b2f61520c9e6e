/**
 * Builds the scenario of test/fixtures/consul/README.md in a running fake, through the agents'
 * HTTP API as an operator would: web-1 (passing HTTP check) and api-1 (TTL, in maintenance) on the
 * first agent, web-2 (429, warning) and billing-1 (TCP, critical) on the second, and the config/
 * keys. The HTTP checks probe two small local servers this starts; `close()` stops them. Adapter
 * tests get the same state the fixtures describe, so an answer can be checked against a fixture.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConsulScenario {
  close(): Promise<void>;
}

interface FakeLike {
  url: string;
  agents: Array<{ address: string; url: string }>;
}

export async function seedConsulScenario(fake: FakeLike, token: string): Promise<ConsulScenario> {
  if (fake.agents.length < 2) throw new Error('the Consul scenario needs two agents in the first datacenter');
  const ok = await probeTarget(200, 'ok');
  const busy = await probeTarget(429, 'shedding load');
  const [a1, a2] = fake.agents as [FakeLike['agents'][0], FakeLike['agents'][0]];
  const send = async (base: string, method: string, path: string, body?: string | object) => {
    const res = await fetch(base + path, { method, headers: { 'X-Consul-Token': token }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200 || text === 'false') throw new Error(`seeding the Consul scenario: ${method} ${path} answered ${res.status} ${text}`);
    return text;
  };
  const reg = (agent: { url: string }, body: object) => send(agent.url, 'PUT', '/v1/agent/service/register', body);
  await reg(a1, { ID: 'web-1', Name: 'web', Tags: ['v2', 'http'], Port: 8080, Meta: { version: '2.4.1' }, Check: { HTTP: url(ok), Interval: '10s', Timeout: '5s' } });
  await reg(a2, { ID: 'web-2', Name: 'web', Tags: ['v2', 'http'], Address: a2.address, Port: 8080, Meta: { version: '2.4.0' }, Check: { HTTP: url(busy), Interval: '10s', Timeout: '5s' } });
  await reg(a1, { ID: 'api-1', Name: 'api', Tags: ['grpc'], Port: 9090, Check: { TTL: '30s' } });
  await reg(a2, { ID: 'billing-1', Name: 'billing', Port: 7070, Meta: {}, Weights: { Passing: 10, Warning: 1 }, Check: { TCP: `${a2.address}:1`, Interval: '5s' } });
  await send(a1.url, 'PUT', '/v1/agent/check/pass/service:api-1?note=ready');
  await send(a1.url, 'PUT', '/v1/agent/service/maintenance/api-1?enable=true&reason=' + encodeURIComponent('deploy 2026-11-05 (opsdeck)'));
  await send(fake.url, 'PUT', '/v1/kv/config/', '');
  await send(fake.url, 'PUT', '/v1/kv/config/billing/data', 'retry:\n  max: 3\n');
  await send(fake.url, 'PUT', '/v1/kv/config/web/feature.flags?flags=42', '{"checkout-v2":true}');
  await send(fake.url, 'PUT', '/v1/kv/config/web/timeout', '30s');
  // The HTTP and TCP probes run at registration; wait until all three have a result.
  for (let i = 0; i < 250; i++) {
    const checks = JSON.parse(await send(fake.url, 'GET', '/v1/health/state/any')) as Array<{ Type: string; Output: string }>;
    const probed = checks.filter((c) => c.Type === 'http' || c.Type === 'tcp');
    if (probed.length === 3 && probed.every((c) => c.Output !== '')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { close: async () => void (await Promise.all([ok, busy].map((s) => new Promise((r) => s.close(r))))) };
}

function probeTarget(status: number, body: string): Promise<Server> {
  const s = createServer((_req, res) => {
    res.statusCode = status;
    res.end(body);
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/health`;
