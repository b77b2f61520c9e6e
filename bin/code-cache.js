// V8 code cache for the bundle's chunks. Node 20 compiles every CommonJS file from its text at
// every start (its own compile cache came in Node 22); for `services list` that is about 10 ms of
// a one-shot command's start-up. The build trains the cache: it runs a few commands with
// OPSDECK_CODE_CACHE=train, and at exit each chunk they loaded is written beside itself as
// `<chunk>.js.v8` with the code V8 compiled for it, the functions that ran included. A later start
// hands that to V8, which checks it against its own version and flags and against the source's
// length, and compiles from the text if it does not fit. Only chunks whose file name carries a
// hash of their content are cached (rollup's `[name]-[hash].js`), so a cache can only ever meet
// the text it was made from; the build empties dist/ before it writes a new one.
'use strict';
const Module = require('node:module');
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, sep } = require('node:path');
const vm = require('node:vm');

const HASHED_CHUNK = /-[A-Za-z0-9_-]{8}\.js$/;

/** What a CommonJS module's code gets as `require` (Node's own is internal to its loader). */
function requireFor(mod) {
  const req = (id) => mod.require(id);
  req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  req.main = require.main;
  req.cache = Module._cache;
  req.extensions = Module._extensions;
  return req;
}

/** Compiles the chunks under dir with their cache; with train, writes the caches at exit. */
function useCodeCache(dir, train) {
  const prefix = dir + sep;
  const compiled = [];
  const original = Module.prototype._compile;
  Module.prototype._compile = function compile(content, filename, format) {
    if (!filename.startsWith(prefix) || !HASHED_CHUNK.test(filename)) return original.call(this, content, filename, format);
    let cachedData;
    if (!train) {
      try {
        cachedData = readFileSync(`${filename}.v8`);
      } catch {
        // Not trained for this chunk: V8 compiles it from the text, as without a cache.
      }
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (train) compiled.push({ script, file: `${filename}.v8` });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
  };
  if (train) {
    process.once('exit', () => {
      for (const { script, file } of compiled) writeFileSync(file, script.createCachedData());
    });
  }
}

module.exports = { useCodeCache };
