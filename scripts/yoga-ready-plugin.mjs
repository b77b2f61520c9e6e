// esbuild plugin: yoga-layout's entry waits for its WebAssembly with a top-level await, and a
// module with one cannot become CommonJS (scripts/build.mjs emits CommonJS, see there). Ink gets
// a yoga whose default export is filled in once the WebAssembly is ready, and the console's
// src/frontends/tui/yoga-ready.ts is replaced by that readiness, which mountInk awaits before
// Ink draws. Ink reads yoga only while it renders, never while its modules load.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const yogaDir = dirname(require.resolve('yoga-layout/load'));

export const yogaReadyPlugin = {
  name: 'yoga-ready',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'yoga-ready' }));
    b.onResolve({ filter: /[\\/]yoga-ready\.js$/ }, (args) =>
      /[\\/]src[\\/]frontends[\\/]tui$/.test(args.resolveDir) ? { path: 'ready', namespace: 'yoga-ready' } : undefined,
    );
    b.onLoad({ filter: /^yoga-layout$/, namespace: 'yoga-ready' }, () => ({
      resolveDir: yogaDir,
      loader: 'js',
      contents: [
        "import { loadYoga } from './load.js';",
        'let Yoga;',
        'export { Yoga as default };',
        'export const yogaReady = loadYoga().then((loaded) => { Yoga = loaded; });',
        "export * from './generated/YGEnums.js';",
      ].join('\n'),
    }));
    b.onLoad({ filter: /^ready$/, namespace: 'yoga-ready' }, () => ({
      resolveDir: yogaDir,
      loader: 'js',
      contents: "export { yogaReady } from 'yoga-layout';\n",
    }));
  },
};
