import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OpsError } from '../core/errors.js';

let built: Promise<URL> | null = null;

/**
 * The file a load worker thread runs. The build emits it beside the bundle (dist/load-worker.js).
 * Run from the sources (tests, benchmarks), Node cannot start a TypeScript worker, so the worker
 * is bundled once per process with esbuild (a dev dependency) into a temp dir removed at exit.
 */
export function workerEntry(): Promise<URL> {
  const beside = new URL('./load-worker.js', import.meta.url);
  if (existsSync(beside)) return Promise.resolve(beside);
  const source = new URL('./load-worker.ts', import.meta.url);
  if (!existsSync(source)) return Promise.reject(new OpsError('internal', `the load worker is missing next to ${fileURLToPath(import.meta.url)}`, 'rebuild opsdeck (npm run build)'));
  built ??= bundle(fileURLToPath(source));
  return built;
}

async function bundle(source: string): Promise<URL> {
  // A computed name keeps the bundler from pulling esbuild into dist/.
  const name = 'esbuild';
  const esbuild = (await import(name)) as typeof import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-load-worker-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'load-worker.mjs');
  await esbuild.build({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile,
    logLevel: 'error',
    // hdr-histogram-js is CommonJS and requires Node built-ins; an ES module has no require of its own.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return pathToFileURL(outfile);
}
