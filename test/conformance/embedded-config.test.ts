import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigEngine } from '../../src/engine/config-engine.js';
import { Engine } from '../../src/engine/engine.js';
import { KvStore } from '../../src/engine/store/kv-store.js';
import { describeConfigConformance } from './config-suite.js';

describeConfigConformance('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-conf-cfg-'));
  const engine = Engine.open(dir);
  // The probe opens its own store on the same dir and reads the config's key (engine/keys.ts).
  const probeStore = KvStore.open(dir);
  const enc = encodeURIComponent;
  return {
    // A watch that polls every 20 ms keeps the watch case quick.
    backend: new ConfigEngine(engine.store, Date.now, 20),
    probe: {
      content: (ref) => probeStore.read((view) => view.get<{ content: string }>(`cfg/${enc(ref.scope.namespace ?? 'public')}/${enc(ref.scope.group ?? 'DEFAULT_GROUP')}/${enc(ref.dataId)}`)?.content ?? null),
    },
    scope: { namespace: `conf-${process.pid}`, group: 'CONF_GROUP' },
    settleMs: 0,
    watchMs: 10_000,
    async dispose() {
      engine.close();
      probeStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
