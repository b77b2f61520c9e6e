import type { RegistryBackend } from '../../core/registry.js';
import type { Probe } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { EurekaHttp } from './eureka-http.js';
import { eurekaRegistry } from './eureka-registry.js';
import { parseEurekaOptions } from './options.js';
import { assertApi, type EurekaContext } from './reads.js';

/**
 * The Eureka adapter (`type: eureka`, under `registry:`), over the kit's HTTP client. Connecting
 * does no I/O, so a Eureka that is down fails only the commands that use it.
 */
export interface EurekaAdapter extends Probe {
  readonly type: 'eureka';
  registry: RegistryBackend;
  dispose(): Promise<void>;
}

export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<EurekaAdapter> {
  return eurekaAdapter(new EurekaHttp(parseEurekaOptions(options, ctx.name)));
}

/** The adapter over a given client; `now` is the clock leases are judged by (tests hand in their own). */
export function eurekaAdapter(http: EurekaHttp, now: () => number = Date.now): EurekaAdapter {
  const ctx: EurekaContext = { http, o: http.o, now };
  return {
    type: 'eureka',
    registry: eurekaRegistry(ctx),
    async ping() {
      await assertApi(ctx);
      // Eureka's REST API does not say which version it is.
      return { version: null };
    },
    async dispose() {
      await http.close();
    },
  };
}
