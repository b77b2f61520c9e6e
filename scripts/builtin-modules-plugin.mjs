// esbuild plugin: a static `import … from 'node:fs'` in an ES module makes Node build a module
// namespace over every export of the built-in, which runs its lazy getters: `fs.promises` loads the
// promise API, readline and streams; `crypto.webcrypto` loads the key and cipher modules. A
// one-shot command paid several ms for modules it never used. Static imports of built-ins are
// instead served by a small module that reads the exports off process.getBuiltinModule (the
// module Node already holds, as require would) and leaves the getters alone. Importing a name
// that is a getter, or reading one off a namespace import, fails the build (see checkBuiltinWarnings).
import { builtinModules, createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The plain data exports of a built-in: its getters are left out, so reading them stays lazy. */
function plainExports(name) {
  const descriptors = Object.getOwnPropertyDescriptors(require(`node:${name}`));
  return Object.entries(descriptors)
    .filter(([key, d]) => !d.get && IDENTIFIER.test(key) && key !== 'default')
    .map(([key]) => key);
}

export const builtinModulesPlugin = {
  name: 'builtin-modules',
  setup(b) {
    const names = new Set(builtinModules.filter((m) => !m.startsWith('_')));
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (args.kind !== 'import-statement' || !names.has(name)) return undefined;
      return { path: name, namespace: 'builtin-module' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-module' }, (args) => {
      const keys = plainExports(args.path);
      const lines = [`const m = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`, 'export default m;'];
      if (keys.length > 0) lines.push(`export const { ${keys.join(', ')} } = m;`);
      return { loader: 'js', contents: lines.join('\n') + '\n' };
    });
  },
};

/** An import esbuild says is always undefined is, here, a getter of a built-in that was left out. */
export function checkBuiltinWarnings(warnings) {
  const undefinedImports = warnings.filter((w) => w.id === 'import-is-undefined');
  if (undefinedImports.length === 0) return;
  const where = undefinedImports.map((w) => `${w.location?.file}:${w.location?.line}: ${w.text}`).join('\n');
  throw new Error(`imports that would be undefined at run time:\n${where}`);
}
