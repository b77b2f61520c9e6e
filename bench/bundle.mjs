// Bundles a few exports of the sources into one module a benchmark can import, in a temp dir inside
// the checkout (so npm packages left external resolve). Call dispose() when done.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundle(name, contents, { external = false } = {}) {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules', '.cache', `bench-${name}-`));
  const outfile = join(dir, `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: `bench-${name}-entry.ts` },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    ...(external ? { packages: 'external' } : {}),
  });
  return { module: await import(pathToFileURL(outfile).href), dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
