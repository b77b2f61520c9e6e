// esbuild plugin: Ink's reconciler connects React DevTools when the environment has DEV=true, with
// two top-level awaits (the devtools import and Ink's own package.json). A module with one cannot
// become CommonJS (scripts/build.mjs emits CommonJS), and opsdeck never ships react-devtools-core:
// an on-call shell that happens to export DEV=true got a warning in the middle of the console.
// The bundled reconciler skips both. The build fails if Ink's text no longer matches, so an Ink
// upgrade is looked at rather than silently left with its top-level await.
import { readFile } from 'node:fs/promises';

const DEVTOOLS_IMPORT = /if \(isDev\(\)\) \{\s*try \{\s*await import\('\.\/devtools\.js'\);[\s\S]*?\n\}\n/;
const PACKAGE_JSON = /const packageJson = isDev\(\)\s*\? await loadPackageJson\(\)\s*: \{ name: undefined, version: undefined \};/;

export const inkDevtoolsPlugin = {
  name: 'ink-no-devtools',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!DEVTOOLS_IMPORT.test(text) || !PACKAGE_JSON.test(text)) {
        throw new Error(`${args.path}: Ink's devtools hook changed; update scripts/ink-devtools-plugin.mjs`);
      }
      const contents = text
        .replace(DEVTOOLS_IMPORT, '')
        .replace(PACKAGE_JSON, 'const packageJson = { name: undefined, version: undefined };');
      return { contents, loader: 'js' };
    });
  },
};
