// Imports modules of src/ (TypeScript) into a benchmark: esbuild bundles a one-line entry into a
// temporary file, which is imported and removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `entry` is TypeScript resolved from the project root, e.g. "export { x } from './src/x.ts';". */
export async function loadSource(entry, name) {
  const dir = mkdtempSync(join(tmpdir(), `opsdeck-bench-${name}-`));
  try {
    const outfile = join(dir, `${name}.mjs`);
    await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts', sourcefile: `bench-${name}-entry.ts` }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
