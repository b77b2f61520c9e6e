import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { etcdConfig } from './etcd-config.js';
import { EtcdHttp } from './etcd-http.js';
import { etcdRegistry } from './etcd-registry.js';
import { EtcdLocks } from './etcd-locks.js';
import { parseEtcdOptions } from './options.js';

/**
 * The etcd adapter over the v3 JSON gateway (etcd 3.4+): locks in the concurrency mutex layout,
 * config keys under a prefix (CAS on mod_revision, history from MVCC revisions, a real watch), and
 * a registry reading the go-micro, Kratos and go-zero layouts and the profile's own templates.
 * Connecting does no I/O; the first call reaches the server (and logs in when auth is set), so a
 * profile with an etcd that is down still lists its other lock backends.
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseEtcdOptions(options, ctx.name);
  const http = new EtcdHttp(o);
  return {
    type: 'etcd',
    locks: new EtcdLocks(http, o),
    config: etcdConfig(http, o),
    registry: etcdRegistry(http, o),
    async ping() {
      const v = await http.version();
      // Log in too, so `status` reports wrong credentials, not only a dead server.
      await http.authenticate();
      return { version: v.etcdserver ?? null };
    },
    async dispose() {
      await http.close();
    },
  };
}
