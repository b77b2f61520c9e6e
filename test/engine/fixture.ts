import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';

/** An engine on a temp dir with a clock the test moves by hand. */
export function engineWithClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-engine-'));
  let now = start;
  const engine = Engine.open(dir, () => now);
  return {
    dir,
    engine,
    advance(ms: number) {
      now += ms;
    },
    reopen() {
      return Engine.open(dir, () => now);
    },
    cleanup() {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
