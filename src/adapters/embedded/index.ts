import type { Adapter } from '../../core/subsystems.js';
import { Engine } from '../../engine/engine.js';
import type { AdapterContext } from '../types.js';

/** The embedded adapter: opens the in-process engine on the profile's data dir. */
export async function connect(_options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const engine = Engine.open(ctx.dataDir);
  return {
    type: 'embedded',
    registry: engine.registry,
    config: engine.config,
    locks: engine.locks,
    async ping() {
      await engine.store.read(() => undefined);
      return { version: `embedded ${ctx.version}` };
    },
    async dispose() {
      engine.close();
    },
  };
}
