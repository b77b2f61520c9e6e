// esbuild plugin: Ink's renderer gets opsdeck's faster output compositor
// (src/frontends/tui/ink-output.ts) in place of its own `./output.js`, which it keeps as the
// fallback for frames the fast path cannot join exactly. Used by scripts/build.mjs and the benches.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const inkOutputPlugin = {
  name: 'ink-fast-output',
  setup(b) {
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer) ? { path: join(dirname(args.importer), 'output.js'), namespace: 'ink-fast-output' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ink-fast-output' }, (args) => ({
      resolveDir: root,
      loader: 'js',
      contents: [
        `import InkOutput from ${JSON.stringify(args.path)};`,
        `import { fastOutputClass } from ${JSON.stringify(join(root, 'src/frontends/tui/ink-output.ts'))};`,
        'export default fastOutputClass(InkOutput);',
      ].join('\n'),
    }));
  },
};
