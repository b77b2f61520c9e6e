import type { Scope } from '../../core/scope.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import type { BackendHandle } from '../../session/session.js';
import { DEMO_CONFIGS, DEMO_INSTANCES, DEMO_LOCKS } from './demo-fleet.js';

export const demo = defineCommand({
  path: ['demo'],
  summary: 'Fill the backend with a demo fleet: services, instances, configs with history, held locks',
  args: {},
  options: {},
  examples: ['opsdeck demo && opsdeck services list'],
  mutates: true,
  async run(ctx) {
    // The profile's first registry, config backend and lock backend: the demo fills one of each.
    const registry = requireCapability(requireCapability(await first(ctx.session.registryBackends(), () => ctx.session.registryBackend()), 'register', 'register instances'), 'setTraffic', 'drain instances');
    const config = requireCapability(await first(ctx.session.configBackends(), () => ctx.session.configBackend()), 'set', 'publish config');
    const locks = requireCapability(await ctx.session.lockBackend(), 'tryAcquire', 'acquire locks');
    // A namespace the backend lacks (a registry without namespaces) leaves that part of the fleet out.
    const scopeOf = (kinds: readonly string[], namespace: string | undefined): Scope | null => (namespace === undefined ? {} : kinds.includes('namespace') ? { namespace } : null);
    let instances = 0;
    const namespaces = new Set<string>();
    for (const i of DEMO_INSTANCES) {
      const scope = scopeOf(registry.scope.kinds, i.namespace);
      if (!scope) continue;
      const ref = { scope, name: i.service };
      // Gateways heartbeat in real life; a long TTL keeps them healthy while the demo is explored.
      const detail = await registry.register(ref, { ip: i.ip, port: i.port, weight: i.weight, metadata: i.metadata, ephemeral: i.ephemeral, ...(registry.leaseTtl === 'per-instance' ? { ttlMs: 3_600_000 } : {}) });
      if (i.drained) await registry.setTraffic(ref, detail.instances.find((x) => x.ip === i.ip && x.port === i.port)!.id, 'disabled');
      instances++;
      namespaces.add(i.namespace ?? '');
    }
    let configs = 0;
    for (const c of DEMO_CONFIGS) {
      const scope = scopeOf(config.scope.kinds, c.namespace);
      if (!scope) continue;
      const ref = { scope, dataId: c.dataId };
      // Re-running the demo must not pile up history: only a missing config gets its versions.
      const exists = await config.get(ref).then(() => true, () => false);
      if (exists) continue;
      for (const content of c.versions) await config.set(ref, content, c.type, {});
      configs++;
    }
    let locksTaken = 0;
    for (const l of DEMO_LOCKS) {
      if (await locks.inspect(l.name)) continue;
      for (let n = 0; n < l.holds; n++) await locks.tryAcquire(l.name, { owner: l.owner, ttlMs: l.ttlMs, waitMs: 0 });
      locksTaken++;
    }
    return {
      namespaces: namespaces.size,
      services: new Set(DEMO_INSTANCES.filter((i) => namespaces.has(i.namespace ?? '')).map((i) => `${i.namespace ?? ''}/${i.service}`)).size,
      instances,
      configsCreated: configs,
      locksTaken,
      dataDir: ctx.session.dataDir,
    };
  },
});

/** The first backend of a list subsystem; with none, `none` (the session) says the profile has none. */
function first<B>(handles: Array<BackendHandle<B>>, none: () => Promise<B>): Promise<B> {
  return handles.length === 0 ? none() : handles[0]!.open();
}
