import { etcdAdapter, EtcdRaw } from '../adapters/etcd-support.js';
import { startEtcd } from '../servers/etcd-server.js';
import { describeConfigConformance, type ConfigHarness } from './config-suite.js';

/*
 * The config conformance suite on etcd keys, against a real etcd 3.4 (one per run of this file,
 * with and without auth). The probe reads the key straight from the v3 JSON gateway with fetch,
 * never through the adapter.
 */

async function harness(auth: boolean, prefix: string): Promise<ConfigHarness> {
  const server = await startEtcd({ auth });
  const raw = new EtcdRaw(server);
  const a = await etcdAdapter(server, { prefix });
  return {
    backend: a.config!,
    probe: {
      async content(ref) {
        return (await raw.get(ref.dataId))?.value ?? null;
      },
    },
    // etcd keys are flat: a data id is the full key.
    scope: {},
    settleMs: 0,
    watchMs: 10_000,
    async dispose() {
      await a.cleanup();
      await server.stop();
    },
  };
}

// The suite's data ids all start with "conf-", so one run uses that as the profile's prefix (the
// listing then reads only under it) and the other reads the whole key space.
describeConfigConformance('etcd 3.4 (real server, no prefix)', () => harness(false, ''));
describeConfigConformance('etcd 3.4 with auth on and prefix conf- (real server, root user)', () => harness(true, 'conf-'));
