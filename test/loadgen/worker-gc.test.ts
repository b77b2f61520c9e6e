import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { listen } from './local-servers.js';

const work = mkdtempSync(join(tmpdir(), 'opsdeck-load-gc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('load workers and V8 memory reducer', () => {
  // The reducer's first collection comes 8 s after an isolate starts, when it allocates little:
  // a light constant-rate load of 10 s shows it in every worker unless it was left out.
  it('runs no memory-reducing collection in the workers of a light constant-rate load', async () => {
    const port = await listen(createServer((_q, res) => res.end('ok')));
    const src = resolve(__dirname, '../../src/loadgen');
    await build({
      entryPoints: { 'run-load': join(src, 'run-load.ts'), 'load-worker': join(src, 'load-worker.ts') },
      outdir: work,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    writeFileSync(join(work, 'package.json'), '{"type":"module"}');
    const script = join(work, 'run.js');
    // A forced collection first, so the main isolate's address is known before any worker exists.
    writeFileSync(
      script,
      `import { runLoad } from './run-load.js';
gc();
console.log('MAIN-ISOLATE-KNOWN');
const r = await runLoad({ targets: [{ url: 'http://127.0.0.1:${port}/' }], method: 'GET', headers: {}, durationMs: 10000, connections: 4, workers: 2, timeoutMs: 5000, keepAlive: true, rate: 100 });
console.log('REQUESTS ' + r.requests);
`,
    );
    const out = await new Promise<string>((done, fail) => {
      const p = spawn(process.execPath, ['--trace-gc', '--expose-gc', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let s = '';
      p.stdout.on('data', (d) => (s += d));
      p.on('error', fail);
      p.on('close', () => done(s));
    });
    const lines = out.split('\n');
    const marker = lines.indexOf('MAIN-ISOLATE-KNOWN');
    expect(marker).toBeGreaterThan(0);
    const isolate = (line: string) => /^\[\d+:(0x[0-9a-f]+)\]/.exec(line)?.[1];
    const main = new Set(lines.slice(0, marker).map(isolate).filter(Boolean));
    const workerGcs = lines.slice(marker).filter((l) => isolate(l) && !main.has(isolate(l)));
    // The workers do collect (their start-up garbage), so the trace covers them.
    expect(workerGcs.length).toBeGreaterThan(0);
    expect(workerGcs.filter((l) => l.includes('(reduce)'))).toEqual([]);
    expect(Number(/REQUESTS (\d+)/.exec(out)?.[1])).toBeGreaterThan(900);
  }, 60_000);
});
