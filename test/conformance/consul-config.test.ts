import { adapterOn, startAclFake } from '../adapters/consul-support.js';
import type { ConsulFake } from '../servers/consul-fake.js';
import { describeConfigConformance } from './config-suite.js';

/*
 * The config conformance suite on Consul KV, against the Consul FAKE (test/servers/consul-fake.ts):
 * no Consul server can run on this machine. The probe reads the fake's KV store through its state
 * API (fake.dc(...).kv), never through HTTP or the adapter.
 */

let fake: ConsulFake;

describeConfigConformance(
  'consul (fake)',
  async () => {
    fake = await startAclFake();
    const a = adapterOn(fake);
    return {
      backend: a.config,
      probe: {
        async content(ref) {
          const e = fake.dc(ref.scope.datacenter ?? 'dc1').kv.get(ref.dataId);
          return e === undefined ? null : (e.Value?.toString('utf8') ?? '');
        },
      },
      scope: { datacenter: 'dc1' },
      settleMs: 0,
      watchMs: 10_000,
      async dispose() {
        await a.dispose();
        await fake.stop();
      },
    };
  },
  { history: 'Consul KV keeps no history: a key holds only its current value and ModifyIndex' },
);
