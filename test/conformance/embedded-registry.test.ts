import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { KvStore } from '../../src/engine/store/kv-store.js';
import { describeRegistryConformance } from './registry-suite.js';

/** The raw instance document, as the embedded store keeps it (engine/registry-engine.ts). */
interface StoredInstance {
  ip: string;
  port: number;
  weight: number;
  enabled: boolean;
  ephemeral: boolean;
  ttlMs: number;
  lastBeat: number;
  metadata: Record<string, string>;
}

describeRegistryConformance(
  'embedded',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-conf-reg-'));
    const engine = Engine.open(dir);
    // The probe opens its own store on the same dir and reads the keys: it sees only what reached the files.
    const probeStore = KvStore.open(dir);
    const enc = encodeURIComponent;
    return {
      backend: engine.registry,
      probe: {
        instances: (ref) =>
          probeStore.read((view) =>
            view
              .scan<StoredInstance>(`inst/${enc(ref.scope.namespace ?? 'public')}/${enc(ref.scope.group ?? 'DEFAULT_GROUP')}/${enc(ref.name)}/`)
              // An ephemeral instance silent for twice its TTL is gone, whether or not a sweep has deleted its key yet.
              .filter(([, d]) => !(d.ephemeral && Date.now() - d.lastBeat > 2 * d.ttlMs))
              .map(([, d]) => ({ ip: d.ip, port: d.port, enabled: d.enabled, weight: d.weight, metadata: d.metadata })),
          ),
      },
      scope: { namespace: `conf-${process.pid}` },
      otherScope: { namespace: `conf-other-${process.pid}` },
      lease: { ttlMs: 300, goneWithinMs: 600 },
      settleMs: 0,
      async dispose() {
        engine.close();
        probeStore.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { 'ambiguous-alias': 'the embedded store keeps one instance per address in a service (its id is the address), so an address never names two' },
);
