// esbuild plugin: commander loads node:child_process when it loads (for executable subcommands,
// which opsdeck does not use), and child_process brings net, dgram and cluster with it: about
// 10% of a one-shot command's start-up. Commander gets a stand-in that loads it on first use.
export const lazyChildProcessPlugin = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      loader: 'js',
      contents: "let real;\nmodule.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });\n",
    }));
  },
};
