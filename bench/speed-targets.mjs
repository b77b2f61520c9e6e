#!/usr/bin/env node
// The four speed targets of the console and the CLI in one run, each against its baseline measured
// in the same run (issue 14): keystroke → frame p99 at 100 and 100k rows, the full interactive
// frame and the boot prompt against node's own first frame in a PTY, and the one-shot commands
// against `node -e 0`. Usage: npm run build && node bench/speed-targets.mjs [pty samples] [one-shot samples]
import { measureConsoleStartup, measureFrames } from './console.mjs';
import { measureStartup } from './startup.mjs';
import { loadNote, printTargets } from './targets.mjs';

console.log(`opsdeck speed targets: node ${process.version}, ${process.platform}-${process.arch}; ${loadNote()}\n`);
const frames = await measureFrames();
const pty = await measureConsoleStartup(Math.max(10, Number(process.argv[2]) || 25));
const oneShot = await measureStartup(Math.max(20, Number(process.argv[3]) || 40));
printTargets('issue 14 speed targets (medians; key→frame as p99)', [...frames, ...pty, ...oneShot]);
