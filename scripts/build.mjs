// Bundles src/main.ts into dist/ so start-up reads a few files instead of hundreds of modules.
// Code splitting keeps rarely used parts (yaml, enquirer, chalk, adapters) in chunks loaded on demand.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { inkOutputPlugin } from './ink-output-plugin.mjs';
import { lazyChildProcessPlugin } from './lazy-child-process-plugin.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // The load generator's worker threads start from their own file, so it is an entry of its own.
  entryPoints: { main: 'src/main.ts', 'load-worker': 'src/loadgen/load-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Less text to parse at every start; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  define: { OPSDECK_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // Ink loads react-devtools-core only when DEV=true; it is not a dependency of ours.
  external: ['react-devtools-core'],
  // CommonJS dependencies (enquirer) call require() for Node built-ins; give them a real one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // Ink's per-cell output stage is replaced by a string compositor (src/frontends/tui/ink-output.ts);
  // commander's child_process is loaded on first use.
  plugins: [inkOutputPlugin, lazyChildProcessPlugin],
  logLevel: 'warning',
});
