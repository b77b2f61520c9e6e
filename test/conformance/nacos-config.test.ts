import { connect } from '../../src/adapters/nacos/index.js';
import { NACOS_VERSIONS } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import { describeConfigConformance } from './config-suite.js';
import { probeConfig } from './nacos-probe.js';

/**
 * The config suite against real Nacos 2.3.2, 2.5.1 and 3.0.3 (auth on, the run's shared servers),
 * each version in a namespace of its own. The probe reads the config with fetch and the admin
 * token from Nacos' detail read (2.x `/v1/cs/configs?show=all`, 3.x `/v3/admin/cs/config`), not
 * through the adapter (nacos-probe.ts). The watch is a long poll on 2.x and md5 polling on 3.x
 * (polled every 300 ms here).
 */

for (const version of NACOS_VERSIONS) {
  describeConfigConformance(`nacos ${version}`, async () => {
    const s = await sharedNacos(version);
    const token = await nacosToken(s);
    const ns = await nacosNamespace(s, token, `conf-cfg-${version}`);
    const a = await connect({ url: s.url, username: s.username, password: s.password, pollIntervalMs: 300 }, { dataDir: '/nonexistent', version: 'test', name: 'nacos-conf' });
    return {
      backend: a.config,
      probe: { content: (ref) => probeConfig(s, token, ref.scope.namespace ?? 'public', ref.scope.group ?? 'DEFAULT_GROUP', ref.dataId) },
      scope: { namespace: ns, group: 'CONF_GROUP' },
      settleMs: 5000,
      watchMs: 40_000,
      dispose: () => a.dispose(),
    };
  });
}
