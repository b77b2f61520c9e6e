import { connect } from '../../src/adapters/nacos/index.js';
import { NACOS_VERSIONS } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import { probeInstances } from './nacos-probe.js';
import { describeRegistryConformance } from './registry-suite.js';

/**
 * The registry suite against real Nacos 2.3.2, 2.5.1 and 3.0.3 (auth on, the run's shared
 * servers), each version in two namespaces of its own (the second for scope isolation). The probe
 * reads Nacos' own console (2.x) or admin (3.x) API with fetch and the admin token, not the
 * adapter (nacos-probe.ts).
 *
 * The ephemeral case registers an instance over HTTP with Nacos' own per-instance timeouts in its
 * metadata (`preserved.heart.beat.*`, `preserved.ip.delete.timeout`): Nacos takes no TTL field, so
 * the registration carries no `ttlMs` (the adapter refuses one, see `leaseTtl`). Nacos looks at
 * heartbeat-kept instances every 5 s, so one silent for its 3 s timeout is gone within about 8 s.
 */

for (const version of NACOS_VERSIONS) {
  describeRegistryConformance(
    `nacos ${version}`,
    async () => {
      const s = await sharedNacos(version);
      const token = await nacosToken(s);
      const ns = await nacosNamespace(s, token, `conf-reg-${version}`);
      const other = await nacosNamespace(s, token, `conf-reg-other-${version}`);
      const a = await connect({ url: s.url, username: s.username, password: s.password }, { dataDir: '/nonexistent', version: 'test', name: 'nacos-conf' });
      const group = 'CONF_GROUP';
      return {
        backend: a.registry,
        probe: { instances: (ref) => probeInstances(s, token, ref.scope.namespace ?? 'public', ref.scope.group ?? 'DEFAULT_GROUP', ref.name) },
        scope: { namespace: ns, group },
        otherScope: { namespace: other, group },
        lease: {
          ttlMs: 3000,
          goneWithinMs: 3000 + 5000 + 4000,
          metadata: { 'preserved.heart.beat.interval': '1000', 'preserved.heart.beat.timeout': '3000', 'preserved.ip.delete.timeout': '3000' },
        },
        // Nacos answers a publish or an instance write before every read shows it.
        settleMs: 5000,
        dispose: () => a.dispose(),
      };
    },
    { 'ambiguous-alias': 'Nacos holds one instance per address in a service: registering the address in another cluster moves it there (docs/dev/nacos-facts.md §10)' },
  );
}
