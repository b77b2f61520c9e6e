#!/usr/bin/env node
// Thin shim: all code lives in the bundle so start-up parses as little as possible.
import('../dist/main.js').then(
  (m) => m.run(),
  (e) => {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write('opsdeck: the bundle is missing (hint: run "npm run build" in the opsdeck directory)\n');
      process.exitCode = 2;
    } else {
      throw e;
    }
  },
);
