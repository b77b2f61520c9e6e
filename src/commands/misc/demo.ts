import { defineCommand } from '../define-command.js';
import { requireCapability } from '../capability.js';
import { DEFAULT_GROUP } from '../input.js';
import { DEMO_CONFIGS, DEMO_INSTANCES, DEMO_LOCKS } from './demo-fleet.js';

export const demo = defineCommand({
  path: ['demo'],
  summary: 'Fill the backend with a demo fleet: services, instances, configs with history, held locks',
  args: {},
  options: {},
  examples: ['opsdeck demo && opsdeck services list'],
  mutates: true,
  async run(ctx) {
    const registry = requireCapability(requireCapability(await ctx.session.registry(), 'register', 'register instances'), 'setEnabled', 'drain instances');
    const config = requireCapability(await ctx.session.config(), 'set', 'publish config');
    const locks = requireCapability(await ctx.session.lockBackend(), 'tryAcquire', 'acquire locks');
    for (const i of DEMO_INSTANCES) {
      const ref = { namespace: i.namespace, group: DEFAULT_GROUP, service: i.service };
      // Gateways heartbeat in real life; a long TTL keeps them healthy while the demo is explored.
      await registry.register(ref, i.ip, i.port, { weight: i.weight, metadata: i.metadata, ephemeral: i.ephemeral, ttlMs: 3_600_000 });
      if (i.drained) await registry.setEnabled(ref, i.ip, i.port, false);
    }
    let configs = 0;
    for (const c of DEMO_CONFIGS) {
      const ref = { namespace: c.namespace, group: DEFAULT_GROUP, dataId: c.dataId };
      // Re-running the demo must not pile up history: only a missing config gets its versions.
      const exists = await config.get(ref).then(() => true, () => false);
      if (exists) continue;
      for (const content of c.versions) await config.set(ref, content, c.type);
      configs++;
    }
    let locksTaken = 0;
    for (const l of DEMO_LOCKS) {
      if (await locks.inspect(l.name)) continue;
      for (let n = 0; n < l.holds; n++) await locks.tryAcquire(l.name, { owner: l.owner, ttlMs: l.ttlMs, waitMs: 0 });
      locksTaken++;
    }
    return {
      namespaces: new Set(DEMO_INSTANCES.map((i) => i.namespace)).size,
      services: new Set(DEMO_INSTANCES.map((i) => `${i.namespace}/${i.service}`)).size,
      instances: DEMO_INSTANCES.length,
      configsCreated: configs,
      locksTaken,
      dataDir: ctx.session.dataDir,
    };
  },
});
