#!/usr/bin/env node
// Thin shim: all code lives in the bundle so start-up parses as little as possible. CommonJS (see
// bin/package.json), like the bundle: an ES module here would start Node's ES module loader.
const { join } = require('node:path');

// The bundle reads Node's built-ins through process.getBuiltinModule (Node 20.16+); an older Node
// would fail inside it with a TypeError and a stack trace.
if (typeof process.getBuiltinModule !== 'function') {
  process.stderr.write(`opsdeck: Node ${process.version} is too old (hint: opsdeck needs Node 20.16 or newer)\n`);
  process.exit(2);
}

const mode = process.env.OPSDECK_CODE_CACHE;
if (mode !== 'off') require('./code-cache.js').useCodeCache(join(__dirname, '..', 'dist'), mode === 'train');
let bundle;
try {
  bundle = require('../dist/main.js');
} catch (e) {
  if (!(e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('main.js'))) throw e;
  process.stderr.write('opsdeck: the bundle is missing (hint: run "npm run build" in the opsdeck directory)\n');
  process.exitCode = 2;
}
if (bundle) bundle.run();
