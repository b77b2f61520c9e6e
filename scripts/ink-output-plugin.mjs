// esbuild plugin for the console's Ink: its renderer gets opsdeck's faster output compositor
// (src/frontends/tui/ink-output.ts) in place of its own `./output.js`, which it keeps as the
// fallback for frames the fast path cannot join exactly; and Ink and its text helpers get
// string-width with a fast path for one-column text (src/frontends/tui/text-width.ts).
// Used by scripts/build.mjs and the benches.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = (file) => JSON.stringify(join(root, 'src/frontends/tui', file));
const TEXT_HELPERS = /[\\/]node_modules[\\/](ink|widest-line|cli-truncate|wrap-ansi|slice-ansi)[\\/]/;

export const inkOutputPlugin = {
  name: 'ink-fast-output',
  setup(b) {
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer) ? { path: join(dirname(args.importer), 'output.js'), namespace: 'ink-fast-output' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ink-fast-output' }, (args) => ({
      resolveDir: root,
      loader: 'js',
      contents: `import InkOutput from ${JSON.stringify(args.path)};\nimport { fastOutputClass } from ${src('ink-output.ts')};\nexport default fastOutputClass(InkOutput);\n`,
    }));
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real' || !TEXT_HELPERS.test(args.importer)) return undefined;
      // The copy this importer would get (wrap-ansi has its own), wrapped.
      const real = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: 'real' });
      return real.errors.length > 0 ? undefined : { path: real.path, namespace: 'fast-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fast-string-width' }, (args) => ({
      resolveDir: root,
      loader: 'js',
      contents: `import real from ${JSON.stringify(args.path)};\nimport { fastStringWidth } from ${src('text-width.ts')};\nexport default function stringWidth(text, options) { return fastStringWidth(text, options, real); }\n`,
    }));
  },
};
