import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { fourLetter, notAllowed, versionOf } from './four-letter.js';
import { parseZkOptions } from './options.js';
import { SessionDirectory } from './sessions.js';
import { ZkSession } from './zk-client.js';
import { zkConfig } from './zk-config.js';
import { zkRegistry } from './zk-registry.js';
import { ZkLocks } from './zookeeper-locks.js';

/**
 * The ZooKeeper adapter: lock forensics in Apache Curator's layouts, a registry over the layouts
 * applications register in (Spring Cloud Zookeeper, Dubbo, curator-x-discovery) and Spring Cloud
 * Zookeeper's config tree, all over one reading session. It connects at once, so an unreachable
 * server is reported (exit 3) within connectTimeoutMs instead of hanging.
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseZkOptions(options, ctx.name);
  const locks = new ZkLocks(o, await ZkSession.open(o.connect, o));
  const directory = new SessionDirectory(o);
  const shared = { o, session: () => locks.session(), sessions: () => directory.get() };
  return {
    type: 'zookeeper',
    locks,
    registry: zkRegistry(shared),
    config: zkConfig(shared),
    async ping() {
      // A round trip on the session proves the server answers; srvr adds the version where allowed.
      await (await locks.session()).exists('/');
      const s = o.servers[0]!;
      const srvr = o.fourLetterWords ? await fourLetter(s.host, s.port, 'srvr') : null;
      return { version: srvr && !notAllowed(srvr) ? versionOf(srvr) : null };
    },
    async dispose() {
      await locks.dispose();
    },
  };
}
