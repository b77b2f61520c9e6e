import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';

/**
 * The V8 code cache the build trains for the bundle's chunks (bin/code-cache.js). Checked in a
 * plain `node` child: V8 accepts a cache only under the flags it was made with, and the test
 * runner's own process may run with others.
 */
const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');

/** For each cached chunk, whether V8 accepts its cache for the chunk's text. */
function verdicts(dist: string): Record<string, boolean> {
  const script = `
    const Module = require('node:module'); const vm = require('node:vm'); const fs = require('node:fs'); const path = require('node:path');
    const dir = process.argv[1]; const out = {};
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js.v8'))) {
      const js = path.join(dir, f.slice(0, -3));
      const s = new vm.Script(Module.wrap(fs.readFileSync(js, 'utf8')), { filename: js, cachedData: fs.readFileSync(path.join(dir, f)) });
      out[f.slice(0, -3)] = !s.cachedDataRejected;
    }
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script, dist], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, boolean>;
}

describe('the code cache', () => {
  it('covers the chunks a one-shot read loads, and V8 accepts every cache the build wrote', () => {
    const cached = verdicts(DIST);
    expect(Object.keys(cached).length).toBeGreaterThanOrEqual(3);
    expect(Object.values(cached).every(Boolean)).toBe(true);
    // The front-end runner and the embedded backend: the bulk of `services list`.
    expect(Object.keys(cached).some((f) => f.startsWith('run-front-end-'))).toBe(true);
    expect(Object.keys(cached).some((f) => f.startsWith('embedded-'))).toBe(true);
    // Only chunks named after their content are cached, never main.js.
    expect(Object.keys(cached)).not.toContain('main.js');
  });

  it('a damaged or foreign cache is ignored: the command still runs, compiled from the text', () => {
    const copy = sandbox();
    try {
      const pkg = join(copy.dir, 'pkg');
      cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
      cpSync(DIST, join(pkg, 'dist'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
      const caches = readdirSync(join(pkg, 'dist')).filter((f) => f.endsWith('.v8'));
      // Same length, other bytes: what a cache from another build or Node version looks like to V8.
      for (const f of caches) writeFileSync(join(pkg, 'dist', f), Buffer.alloc(readFileSync(join(pkg, 'dist', f)).length, 7));
      expect(Object.values(verdicts(join(pkg, 'dist'))).some(Boolean)).toBe(false);
      const bin = join(pkg, 'bin', 'opsdeck.js');
      expect(opsdeck(copy.env, ['demo']).code).toBe(0);
      const direct = opsdeck(copy.env, ['services', 'list', '-o', 'json']);
      const r = spawnSync(process.execPath, [bin, 'services', 'list', '-o', 'json'], { env: copy.env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(direct.json());
      const off = spawnSync(process.execPath, [bin, 'services', 'list', '-o', 'json'], { env: { ...copy.env, OPSDECK_CODE_CACHE: 'off' }, encoding: 'utf8' });
      expect(off.status, off.stderr).toBe(0);
      expect(JSON.parse(off.stdout)).toEqual(direct.json());
      rmSync(pkg, { recursive: true, force: true });
    } finally {
      copy.cleanup();
    }
  });
});
