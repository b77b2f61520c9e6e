import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { KvStore } from '../../src/engine/store/kv-store.js';

/** Big enough that no test compacts unless it asks to; independent of OPSDECK_WAL_COMPACT_BYTES. */
export const NO_COMPACTION = 1 << 30;

/**
 * A fresh data dir per test (`dir`, not yet created: `setup` may fill it first) and an `open`
 * whose stores are all closed, and the dir removed, after the test.
 */
export function useTempStore(prefix: string, setup?: (dir: string) => void) {
  const opened: KvStore[] = [];
  const t = {
    root: '',
    dir: '',
    open(compactBytes = NO_COMPACTION): KvStore {
      const s = KvStore.open(t.dir, { compactBytes });
      opened.push(s);
      return s;
    },
    file: (name: string) => join(t.dir, name),
  };
  beforeEach(() => {
    t.root = mkdtempSync(join(tmpdir(), prefix));
    t.dir = join(t.root, 'data');
    setup?.(t.dir);
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
    rmSync(t.root, { recursive: true, force: true });
  });
  return t;
}
