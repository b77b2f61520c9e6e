import type { ConfigBackend } from '../../core/config-center.js';
import type { RegistryBackend } from '../../core/registry.js';
import type { Probe } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import type { NacosContext } from './context.js';
import { nacosConfig } from './nacos-config.js';
import { NacosHttp } from './nacos-http.js';
import { nacosRegistry } from './nacos-registry.js';
import { Namespaces } from './namespaces.js';
import { parseNacosOptions } from './options.js';

/**
 * The Nacos adapter (`type: nacos`, under `registry:` and `config:`): one logged-in client per
 * profile entry, shared by the registry and the config backend. Connecting does no I/O, so a
 * Nacos that is down fails only the commands that use it.
 */
export interface NacosAdapter extends Probe {
  readonly type: 'nacos';
  registry: RegistryBackend;
  config: ConfigBackend;
  dispose(): Promise<void>;
}

export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<NacosAdapter> {
  return nacosAdapter(new NacosHttp(parseNacosOptions(options, ctx.name)));
}

/** The adapter over a given client (tests hand in one with their own clock). */
export function nacosAdapter(http: NacosHttp): NacosAdapter {
  const ctx: NacosContext = { http, namespaces: new Namespaces(http), o: http.o };
  return {
    type: 'nacos',
    registry: nacosRegistry(ctx),
    config: nacosConfig(ctx),
    async ping() {
      // The probe proves the url, the login proves the credentials.
      const { version } = await http.server();
      await http.authenticate();
      return { version };
    },
    async dispose() {
      await http.close();
    },
  };
}
