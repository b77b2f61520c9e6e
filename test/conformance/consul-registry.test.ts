import { adapterOn, OPERATOR, startAclFake } from '../adapters/consul-support.js';
import type { ConsulFake } from '../servers/consul-fake.js';
import { describeRegistryConformance } from './registry-suite.js';

/*
 * The registry conformance suite on the Consul adapter, against the Consul FAKE
 * (test/servers/consul-fake.ts): no Consul server can run on this machine. The probe reads the
 * fake's catalog through its state API (fake.dc(...).instances), never through HTTP or the
 * adapter: an instance takes traffic while it has no maintenance check, its weight is
 * Weights.Passing.
 *
 * The ephemeral case runs on a short clock: TTL 1 s, DeregisterCriticalServiceAfter 1 ms and a
 * reaper every 200 ms in the fake. A real agent raises DeregisterCriticalServiceAfter to at least
 * one minute and reaps every 30 s, so there an instance goes within TTL + 90 s of its last
 * heartbeat (docs/consul.md).
 */

let fake: ConsulFake;

describeRegistryConformance('consul (fake)', async () => {
  fake = await startAclFake({ reapIntervalMs: 200 });
  const a = adapterOn(fake, { ephemeralDeregisterAfterMs: 1 });
  return {
    backend: a.registry,
    probe: {
      async instances(ref) {
        const dc = fake.dc(ref.scope.datacenter ?? 'dc1');
        return dc.instances(ref.name).map(({ node, svc }) => ({
          ip: svc.Address || node.Address,
          port: svc.Port,
          enabled: !dc.checksFor(node.Node, svc.ID).some((c) => c.CheckID === `_service_maintenance:${svc.ID}` || c.CheckID === '_node_maintenance'),
          weight: svc.Weights.Passing,
          metadata: svc.Meta ?? {},
        }));
      },
    },
    scope: { datacenter: 'dc1' },
    otherScope: { datacenter: 'dc2' },
    lease: { ttlMs: 1000, goneWithinMs: 3000 },
    // Two registrations at one address under different ids, through two agents, as two processes would.
    async twoAtOneAddress(ref, ip, port) {
      for (const [i, agent] of fake.agents.slice(0, 2).entries()) {
        const r = await fetch(`${agent.url}/v1/agent/service/register`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: JSON.stringify({ ID: `${ref.name}-${i}`, Name: ref.name, Address: ip, Port: port }) });
        if (r.status !== 200) throw new Error(`register: ${r.status} ${await r.text()}`);
      }
    },
    settleMs: 0,
    async dispose() {
      await a.dispose();
      await fake.stop();
    },
  };
});
