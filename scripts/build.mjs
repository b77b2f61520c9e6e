// Builds dist/ in two passes, so start-up reads a few files instead of hundreds of modules.
// 1. esbuild bundles src/ (TypeScript, JSX, the dependencies) into ES module chunks, in memory.
//    Code splitting keeps rarely used parts (yaml, enquirer, chalk, adapters, Ink) in chunks
//    loaded on demand.
// 2. Rollup re-chunks those and writes them as CommonJS. Two reasons, both start-up time:
//    - Node 20 sets up its ES module loader only for the first ES module a process loads, and
//      that costs about 25 ms, as much as the rest of `opsdeck version`; require() needs none.
//    - esbuild gives every set of dynamic imports that shares code a chunk of its own (37 files
//      for `services list`). Rollup knows what an importer has already loaded and merges those
//      (10 files).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { builtinModulesPlugin, checkBuiltinWarnings } from './builtin-modules-plugin.mjs';
import { inkDevtoolsPlugin } from './ink-devtools-plugin.mjs';
import { inkOutputPlugin } from './ink-output-plugin.mjs';
import { lazyChildProcessPlugin } from './lazy-child-process-plugin.mjs';
import { yogaReadyPlugin } from './yoga-ready-plugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(dist, { recursive: true, force: true });

const esm = await build({
  absWorkingDir: root,
  // The load generator's worker threads start from their own file, so it is an entry of its own.
  entryPoints: { main: 'src/main.ts', 'load-worker': 'src/loadgen/load-worker.ts' },
  outdir: dist,
  write: false,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'external',
  // Less text to parse at every start; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  define: { OPSDECK_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // Ink loads react-devtools-core only when DEV=true; it is not a dependency of ours.
  external: ['react-devtools-core'],
  // No createRequire banner: CommonJS dependencies (enquirer) call require() for Node built-ins,
  // and the CommonJS rollup writes gives every chunk Node's own require.
  // Ink's per-cell output stage is replaced by a string compositor (src/frontends/tui/ink-output.ts);
  // commander's child_process is loaded on first use; static imports of Node built-ins skip the
  // ES module namespace Node would build over them; yoga and Ink's reconciler load without a
  // top-level await.
  plugins: [inkOutputPlugin, lazyChildProcessPlugin, builtinModulesPlugin, yogaReadyPlugin, inkDevtoolsPlugin],
  logLevel: 'warning',
});
checkBuiltinWarnings(esm.warnings);

const files = new Map(esm.outputFiles.map((f) => [f.path, f.text]));
const bundle = await rollup({
  input: { main: join(dist, 'main.js'), 'load-worker': join(dist, 'load-worker.js') },
  // Keep every statement: the input is already tree-shaken, and its chunks run code when loaded.
  treeshake: false,
  plugins: [
    {
      name: 'esbuild-output',
      resolveId(source, importer) {
        if (importer === undefined) return source;
        if (source.startsWith('./')) {
          const path = resolve(dirname(importer), source);
          if (files.has(path)) return path;
        }
        return { id: source, external: true };
      },
      load(id) {
        const code = files.get(id);
        return code === undefined ? null : { code, map: files.get(`${id}.map`) };
      },
    },
  ],
  onwarn(warning, warn) {
    // esbuild's chunks import each other in cycles that it orders itself; hdr-histogram-js probes
    // for zlib with an eval.
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'EVAL') return;
    warn(warning);
  },
});
await bundle.write({
  dir: dist,
  format: 'cjs',
  entryFileNames: '[name].js',
  chunkFileNames: '[name]-[hash].js',
  sourcemap: true,
  generatedCode: 'es2015',
  // import() of a chunk becomes require() once the importer runs: no ES module loader at all.
  dynamicImportInCjs: false,
});
await bundle.close();
// package.json says "module" for the sources; the bundle is CommonJS.
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');

// Train the V8 code cache (bin/code-cache.js) on the commands a start-up budget is kept for. The
// last command wins for a chunk they share, so the one-shot read comes last.
const sandbox = mkdtempSync(join(tmpdir(), 'opsdeck-build-'));
try {
  const env = { ...process.env, OPSDECK_CODE_CACHE: 'train', OPSDECK_DATA_DIR: join(sandbox, 'data'), XDG_CONFIG_HOME: join(sandbox, 'config'), XDG_DATA_HOME: join(sandbox, 'share'), NO_COLOR: '1' };
  for (const key of ['OPSDECK_PROFILE', 'OPSDECK_CONFIG', 'NODE_OPTIONS']) delete env[key];
  for (const args of [['demo', '-o', 'json'], ['version'], ['services', 'list', '-o', 'json']]) {
    const run = spawnSync(process.execPath, [join(root, 'bin', 'opsdeck.js'), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`training the code cache: opsdeck ${args.join(' ')} exited ${run.status ?? run.signal}\n${run.stderr}`);
  }
} finally {
  rmSync(sandbox, { recursive: true, force: true });
}
