import type { ConfigBackend } from '../../core/config-center.js';
import type { RegistryBackend } from '../../core/registry.js';
import type { Probe } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { consulConfig } from './consul-config.js';
import { ConsulHttp } from './consul-http.js';
import { consulRegistry } from './consul-registry.js';
import type { ConsulContext } from './context.js';
import { parseConsulOptions } from './options.js';

/**
 * The Consul adapter (`type: consul`, under `registry:` and `config:`): one client per profile
 * entry (with one connection pool per agent it reaches), shared by the registry and the config
 * backend. Connecting does no I/O, so a Consul that is down fails only the commands that use it.
 */
export interface ConsulAdapter extends Probe {
  readonly type: 'consul';
  registry: RegistryBackend;
  config: ConfigBackend;
  dispose(): Promise<void>;
}

export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<ConsulAdapter> {
  return consulAdapter(new ConsulHttp(parseConsulOptions(options, ctx.name)));
}

export function consulAdapter(http: ConsulHttp): ConsulAdapter {
  const ctx: ConsulContext = { http, o: http.o };
  return {
    type: 'consul',
    registry: consulRegistry(ctx),
    config: consulConfig(ctx),
    async ping() {
      // The agent's own facts: its version, and (with ACLs on) that the token is known.
      return { version: (await http.agentSelf()).version };
    },
    async dispose() {
      await http.close();
    },
  };
}
