import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { KvStore } from '../../src/engine/store/kv-store.js';
import { describeLockConformance } from './lock-suite.js';

describeLockConformance('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-conf-'));
  const engine = Engine.open(dir);
  // The probe opens its own store on the same dir: it sees only what reached the files.
  const probeStore = KvStore.open(dir);
  return {
    backend: engine.locks,
    probe: {
      holder: (name) =>
        probeStore.read((view) => {
          const doc = view.get<{ owner: string | null; expiresAt: number | null }>(`lock/${name}`);
          if (!doc || doc.owner === null) return null;
          return doc.expiresAt !== null && doc.expiresAt <= Date.now() ? null : doc.owner;
        }),
    },
    minTtlMs: 300,
    fencing: true,
    async dispose() {
      engine.close();
      probeStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
