// Console benchmarks, each against a baseline measured in the same run:
//  1. keystroke → frame while scrolling a pane at 120×40 (target p99 ≤ 16 ms), at 100 rows and at
//     100,000 rows, with the garbage collector's share of the measured window; and a check that no
//     frame is taller than the terminal (the cause of full-screen flicker in Ink);
//  2. start-up in a real PTY against bare `node -e 0` run the same way:
//     - the full interactive frame: panes showing data and the prompt (target ≤ 2.0×);
//     - the boot prompt that accepts keys (target ≤ 2.0×).
// Usage: npm run build && node bench/console.mjs [pty samples]   (needs python3 for its pty module)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { inkOutputPlugin } from '../scripts/ink-output-plugin.mjs';
import { loadNote, median, printTargets, quantile, shuffled, target } from './targets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin/opsdeck.js');
const percentile = (xs, p) => quantile(xs, p / 100);

/** Milliseconds from fork until every marker shows in the output (or until exit), in a fresh 40×120 PTY. */
function timeInPty(argv, markers, env) {
  return new Promise((res, rej) => {
    const child = spawn('python3', [join(root, 'bench/pty-time.py'), JSON.stringify(markers), ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? res(Number(out)) : rej(new Error(`pty run failed: ${err}`))));
  });
}

/** PTY start-up: node's own first frame, opsdeck's boot prompt, and its full frame with data. */
export async function measureConsoleStartup(samples = 25) {
  if (!existsSync(join(root, 'dist/main.js'))) throw new Error('dist/ is missing: run "npm run build" first');
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-'));
  const env = { ...process.env, OPSDECK_DATA_DIR: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'xdg-data'), TERM: 'xterm-256color' };
  // Ink draws nothing while CI is set (to anything but 0/false); a user's terminal has no CI.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  delete env.OPSDECK_PROFILE;
  delete env.OPSDECK_CONFIG;
  delete env.NODE_OPTIONS;
  // A filled data dir, so the first pane has rows to show (the demo fleet's gateway among them).
  const filled = spawnSync(process.execPath, [bin, 'demo', '-o', 'json'], { env, encoding: 'utf8' });
  if (filled.status !== 0) throw new Error(`opsdeck demo failed: ${filled.stderr}`);
  const cases = [
    { label: 'node -e 0 (baseline)', argv: [process.execPath, '-e', '0'], markers: [], samples: [] },
    // The prompt of the boot frame, which takes keys before the full view is ready.
    { label: 'opsdeck boot prompt', argv: [process.execPath, bin], markers: ['local›'], samples: [] },
    // Panes with data and the prompt: a service row, the pane's data age, and the prompt.
    { label: 'opsdeck full frame', argv: [process.execPath, bin], markers: ['local›', 'gateway', 's ago'], samples: [] },
  ];
  const loadBefore = loadNote();
  try {
    for (let i = 0; i < samples + 3; i++) {
      for (const c of shuffled(cases)) {
        const ms = await timeInPty(c.argv, c.markers, env);
        if (i >= 3) c.samples.push(ms);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`PTY start-up (40×120, spawn → frame; ${samples} interleaved samples per case after 3 warm-up rounds)`);
  console.log(`   before: ${loadBefore}; after: ${loadNote()}`);
  for (const c of cases) console.log(`   ${c.label.padEnd(22)} median ${median(c.samples).toFixed(1)} ms  p90 ${percentile(c.samples, 90).toFixed(1)} ms`);
  console.log('');
  const base = median(cases[0].samples);
  return [
    target({ name: 'full interactive frame', value: median(cases[2].samples), baseline: base, baselineLabel: 'node -e 0 in the PTY', limit: 2 }),
    target({ name: 'boot prompt takes keys', value: median(cases[1].samples), baseline: base, baselineLabel: 'node -e 0 in the PTY', limit: 2 }),
  ];
}

/** Keystroke → frame while scrolling, at 100 and 100,000 rows, in this process. */
export async function measureFrames(presses = 300) {
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
    // The console's own build setup: Ink gets opsdeck's output compositor (scripts/ink-output-plugin.mjs).
    plugins: [inkOutputPlugin, { name: 'no-devtools', setup(b) { b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'stub', namespace: 'stub' })); b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {}' })); } }],
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  const { measureScroll } = await import(pathToFileURL(out).href);
  const loadBefore = loadNote();
  const small = await measureScroll(100, presses);
  const big = await measureScroll(100_000, presses);
  rmSync(dirname(out), { recursive: true, force: true });
  console.log(`keystroke → frame while scrolling a pane (120×40 terminal, ${presses} presses 20 ms apart, after 400 warm-up presses)`);
  console.log(`   before: ${loadBefore}; after: ${loadNote()}`);
  const gcNote = (r) => `GC ${r.gc.pauses} pauses ${r.gc.ms.toFixed(1)} ms = ${((100 * r.gc.ms) / r.gc.windowMs).toFixed(2)}% of the window, ${((100 * r.gc.inLatencyMs) / r.latencies.reduce((a, b) => a + b, 0)).toFixed(1)}% of key→frame time`;
  for (const [label, r] of [['100 rows', small], ['100,000 rows', big]]) {
    console.log(`   ${label.padEnd(13)} p50 ${percentile(r.latencies, 50).toFixed(2)} ms  p99 ${percentile(r.latencies, 99).toFixed(2)} ms  max ${Math.max(...r.latencies).toFixed(2)} ms  dropped ${r.dropped}  tallest frame ${r.tallest}/${r.rows - 1} lines  ${r.bytesPerFrame} bytes/frame`);
    console.log(`   ${''.padEnd(13)} ${gcNote(r)}`);
  }
  console.log('');
  const tall = Math.max(small.tallest, big.tallest) <= big.rows - 1 ? '' : '; a frame was taller than the terminal';
  return [
    target({ name: 'key→frame p99, 100 rows', value: percentile(small.latencies, 99), baseline: percentile(small.latencies, 50), baselineLabel: 'p50, same scroll', limit: 16, absolute: true, note: gcNote(small) + tall }),
    target({ name: 'key→frame p99, 100k rows', value: percentile(big.latencies, 99), baseline: percentile(small.latencies, 99), baselineLabel: 'p99 at 100 rows', limit: 16, absolute: true, note: gcNote(big) + tall }),
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`opsdeck console benchmarks: node ${process.version}, ${process.platform}-${process.arch}\n`);
  const frames = await measureFrames();
  const startup = await measureConsoleStartup(Math.max(10, Number(process.argv[2]) || 25));
  printTargets('console (medians of PTY runs; p99 of key presses)', [...frames, ...startup]);
}
