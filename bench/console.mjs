// Console benchmarks, each against a baseline measured in the same run:
//  1. start-up: process start → first frame showing a prompt that takes keys, in a real PTY,
//     against bare `node -e 0` run the same way (target ≤ 2.0×);
//  2. keystroke → frame while scrolling a pane of 100k instances (target p99 ≤ 16 ms), with the
//     same scroll over 100 rows as the baseline, and a check that no frame is taller than the
//     terminal (the cause of full-screen flicker in Ink).
// Usage: npm run build && node bench/console.mjs   (needs python3 for its pty module)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin/opsdeck.js');
if (!existsSync(join(root, 'dist/main.js'))) {
  console.error('dist/ is missing: run "npm run build" first');
  process.exit(2);
}
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const median = (xs) => percentile(xs, 50);

/** Milliseconds from fork until `marker` shows in the output (or until exit), in a fresh 40×120 PTY. */
function timeInPty(argv, marker, env) {
  return new Promise((res, rej) => {
    const child = spawn('python3', [join(root, 'bench/pty-time.py'), marker, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? res(Number(out)) : rej(new Error(`pty run failed: ${err}`))));
  });
}

async function startup() {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-'));
  const env = { ...process.env, OPSDECK_DATA_DIR: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), TERM: 'xterm-256color' };
  // Ink draws nothing while CI is set (to anything but 0/false); a user's terminal has no CI.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const N = 25;
  const base = [];
  const cons = [];
  for (let i = 0; i < N + 3; i++) {
    const b = await timeInPty([process.execPath, '-e', '0'], '', env);
    const c = await timeInPty([process.execPath, bin], 'local›', env);
    if (i >= 3) {
      base.push(b);
      cons.push(c);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const ratio = median(cons) / median(base);
  console.log('1. start-up to a prompt that accepts keys (PTY, spawn → first prompt frame)');
  console.log(`   node -e 0 (baseline)  median ${median(base).toFixed(1)} ms  p90 ${percentile(base, 90).toFixed(1)} ms`);
  console.log(`   opsdeck console       median ${median(cons).toFixed(1)} ms  p90 ${percentile(cons, 90).toFixed(1)} ms`);
  console.log(`   ratio ${ratio.toFixed(2)}×  (target ≤ 2.0×: ${ratio <= 2 ? 'met' : 'MISSED'})\n`);
}

async function frames() {
  const out = join(mkdtempSync(join(tmpdir(), 'opsdeck-bench-')), 'frame-bench.mjs');
  await build({
    entryPoints: [join(root, 'bench/console-frame-entry.tsx')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    // Ink imports react-devtools-core only when DEV=true; a one-file bundle needs a stand-in.
    plugins: [{ name: 'no-devtools', setup(b) { b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'stub', namespace: 'stub' })); b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {}' })); } }],
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  const { measureScroll } = await import(pathToFileURL(out).href);
  console.log('2. keystroke → frame while scrolling a pane (120×40 terminal, 300 key presses, 20 ms apart)');
  const small = await measureScroll(100);
  const big = await measureScroll(100_000);
  for (const [label, r] of [['100 rows (baseline)', small], ['100,000 rows', big]]) {
    console.log(`   ${label.padEnd(20)} p50 ${percentile(r.latencies, 50).toFixed(2)} ms  p99 ${percentile(r.latencies, 99).toFixed(2)} ms  max ${Math.max(...r.latencies).toFixed(2)} ms  tallest frame ${r.tallest}/${r.rows - 1} lines`);
  }
  const p99 = percentile(big.latencies, 99);
  console.log(`   ratio p99 100k/100: ${(p99 / percentile(small.latencies, 99)).toFixed(2)}×`);
  console.log(`   target p99 ≤ 16 ms: ${p99 <= 16 ? 'met' : 'MISSED'}; no frame taller than the terminal: ${big.tallest <= big.rows - 1 ? 'met' : 'MISSED'}`);
  rmSync(dirname(out), { recursive: true, force: true });
}

console.log(`opsdeck console benchmarks: node ${process.version}, ${process.platform}-${process.arch}\n`);
await startup();
await frames();
