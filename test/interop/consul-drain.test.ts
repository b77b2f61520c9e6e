import Consul from 'consul';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, requestsSince, startAclFake } from '../adapters/consul-support.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import type { ConsulFake } from '../servers/consul-fake.js';

/*
 * A drain as a real Consul client sees it: an application registers through the npm `consul`
 * client (2.0.1) with its own agent, node-2, while opsdeck's profile points at node-1; after
 * `opsdeck instances drain`, the client's own health query with ?passing (what a load balancer
 * asks) no longer returns the instance, and after undrain it does again. Against the Consul FAKE
 * (test/servers/consul-fake.ts): no Consul server can run on this machine.
 */

let fake: ConsulFake;
let box: ReturnType<typeof sandbox>;
let app: InstanceType<typeof Consul>;

beforeAll(async () => {
  fake = await startAclFake();
  box = sandbox();
  box.env.CONSUL_TOKEN = OPERATOR;
  writeProfileFile(box.env, `defaultProfile: c\nprofiles:\n  c:\n    registry: { type: consul, url: "${fake.url}", token: "\${CONSUL_TOKEN}" }\n`);
  // The application's client talks to the agent on its own node.
  app = new Consul({ host: fake.agents[1]!.address, port: fake.port, defaults: { token: OPERATOR } });
  await app.agent.service.register({ name: 'payments', id: 'payments-7', address: '127.0.0.1', port: 7007, check: { ttl: '30s' } } as any);
  await app.agent.check.pass({ id: 'service:payments-7', note: 'ready' });
});

afterAll(async () => {
  app?.destroy();
  await fake?.stop();
  box?.cleanup();
});

describe('npm consul sees opsdeck\'s drain', () => {
  it('drain takes the instance out of the client\'s ?passing answer; undrain puts it back', async () => {
    const passing = async () => ((await app.health.service({ service: 'payments', passing: true })) as Array<{ Service: { ID: string } }>).map((e) => e.Service.ID);
    expect(await passing()).toEqual(['payments-7']);
    const from = fake.requests.length;
    const drained = await opsdeckAsync(box.env, ['instances', 'drain', 'payments', '127.0.0.1:7007', '-o', 'json']);
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.json().sentTo).toBe(`node-2's agent at ${fake.agents[1]!.url}`);
    expect(requestsSince(fake, from, 'PUT', '/v1/agent/service/maintenance/payments-7').map((r) => r.agent)).toEqual(['node-2']);
    expect(await passing()).toEqual([]);
    // The client still sees the instance without ?passing, in maintenance.
    const all = (await app.health.service('payments')) as Array<{ Checks: Array<{ CheckID: string; Status: string }> }>;
    expect(all[0]!.Checks.find((c) => c.CheckID === '_service_maintenance:payments-7')?.Status).toBe('critical');
    const back = await opsdeckAsync(box.env, ['instances', 'undrain', 'payments', 'payments-7', '-o', 'json']);
    expect(back.code, back.stderr).toBe(0);
    expect(await passing()).toEqual(['payments-7']);
  });
});
