import type { RegistryBackend } from '../../core/registry.js';
import type { Probe } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import type { IstioContext } from './context.js';
import { registryz } from './debug-reads.js';
import { IstioHttp } from './istio-http.js';
import { istioRegistry } from './istio-registry.js';
import { parseIstioOptions } from './options.js';

/**
 * The Istio adapter (`type: istio`, under `registry:`), read-only, over the kit's HTTP client.
 * Connecting does no I/O, so an istiod or API server that is down fails only the commands that use it.
 */
export interface IstioAdapter extends Probe {
  readonly type: 'istio';
  registry: RegistryBackend;
  dispose(): Promise<void>;
}

export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<IstioAdapter> {
  return istioAdapter(new IstioHttp(parseIstioOptions(options, ctx.name)));
}

export function istioAdapter(http: IstioHttp): IstioAdapter {
  const ctx: IstioContext = { http, o: http.o };
  return {
    type: 'istio',
    registry: istioRegistry(ctx),
    async ping() {
      // Whichever server gives the services must answer its cheapest read; neither says its version there.
      if (http.has('kube')) await http.get('kube', `/api/v1/namespaces/${encodeURIComponent(ctx.o.namespace)}/services`, { query: { limit: '1' } });
      else await registryz(ctx);
      return { version: null };
    },
    async dispose() {
      await http.close();
    },
  };
}
