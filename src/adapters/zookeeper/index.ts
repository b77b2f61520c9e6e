import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { fourLetter, notAllowed, versionOf } from './four-letter.js';
import { parseZkOptions } from './options.js';
import { ZkSession } from './zk-client.js';
import { ZkLocks } from './zookeeper-locks.js';

/**
 * The ZooKeeper adapter: lock forensics in Apache Curator's layouts. It connects at once, so an
 * unreachable server is reported (exit 3) within connectTimeoutMs instead of hanging.
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseZkOptions(options, ctx.name);
  const locks = new ZkLocks(o, await ZkSession.open(o.connect, o));
  return {
    type: 'zookeeper',
    locks,
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
