import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, sandbox } from '../helpers/cli.js';

describe('on a Node older than the bundle needs', () => {
  it('says which Node it needs and exits 2, never a stack trace', () => {
    const box = sandbox();
    try {
      // What a Node before 20.16 looks like to the bundle: no process.getBuiltinModule.
      const preload = join(box.dir, 'old-node.cjs');
      writeFileSync(preload, 'delete process.getBuiltinModule;\n');
      const r = spawnSync(process.execPath, ['--require', preload, BIN, 'services', 'list'], { env: box.env, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`opsdeck: Node ${process.version} is too old (hint: opsdeck needs Node 20.16 or newer)\n`);
      expect(r.stdout).toBe('');
    } finally {
      box.cleanup();
    }
  });
});
