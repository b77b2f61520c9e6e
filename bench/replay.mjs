// Measures how replay's reading of a script scales with `\` continuations (probe 11: 40k continued
// lines took 21 s and 80k took 95 s, quadratic). For 10k/40k/80k continued lines it times the
// runner in-process (from a file's text and from a chunked stream, as stdin arrives) and the real
// binary end to end, and prints each time with the ratio 80k/40k: about 2 is linear, about 4 is
// quadratic. The baseline measured in the same run is the old way of joining (concatenate, then
// re-test the growing text for a trailing backslash) at smaller sizes, whose ratio per doubling
// shows what quadratic looks like on this machine. It only prints; nothing here asserts.
// Run: npm run build && node bench/replay.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, loadSource } from './load-source.mjs';

const { runReplay, scriptLines } = await loadSource("export { runReplay, scriptLines } from './src/shell/replay-runner.ts';\n", 'replay');
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-replay-data-'));

/** One command continued over n physical lines, then a second command. */
const script = (n) => `status \\\n${'  -x \\\n'.repeat(n)}  --last\nstatus\n`;

async function* chunked(text, size = 65_536) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const options = {
  vars: {},
  env: {},
  continueOnError: false,
  echo: false,
  exec: async () => ({ exitCode: 0, stdout: '', stderr: '', data: undefined }),
  report: () => undefined,
};

async function timeRunner(n, stream) {
  const text = script(n);
  const start = performance.now();
  // A file is whole (checked first, then run: read twice); a stream is read once as it arrives.
  const source = stream ? { whole: false, lines: () => scriptLines('bench.ops', chunked(text)) } : { whole: true, lines: () => scriptLines('bench.ops', text) };
  const summary = await runReplay([source], options);
  const ms = performance.now() - start;
  if (summary.commands !== 2) throw new Error(`expected 2 commands, got ${JSON.stringify(summary)}`);
  return ms;
}

/** The old joining: concatenate each physical line onto the carry and re-test the whole text. */
function naiveJoin(n) {
  const lines = script(n).split('\n');
  const start = performance.now();
  let carry = null;
  let count = 0;
  for (const raw of lines) {
    const text = carry === null ? raw : carry + raw;
    if (/(^|[^\\])\\$/.test(text)) {
      carry = text.slice(0, -1);
      continue;
    }
    carry = null;
    count += text.length > 0 ? 1 : 0;
  }
  if (count !== 2) throw new Error('naive join went wrong');
  return performance.now() - start;
}

function timeBinary(n) {
  const path = join(dir, `cont-${n}.ops`);
  // A comment continued over n lines, then `version`: offline, so only reading is measured.
  writeFileSync(path, `# comment \\\n${'  c \\\n'.repeat(n)}  end\nversion\n`);
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/opsdeck.js'), 'replay', path], { encoding: 'utf8', env: { ...process.env, OPSDECK_DATA_DIR: join(dir, 'data') } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`opsdeck exited ${r.status}: ${r.stderr}`);
  return ms;
}

const best = async (f, reps = 3) => {
  let min = Infinity;
  for (let i = 0; i < reps; i++) min = Math.min(min, await f());
  return min;
};
const fmt = (ms) => `${ms.toFixed(1).padStart(9)} ms`;

// Warm-up, so the JIT has compiled the hot code before anything is measured.
await timeRunner(2_000, false);
await timeRunner(2_000, true);

console.log('continued lines     from file text    from a stream    real binary');
const rows = {};
for (const n of [10_000, 40_000, 80_000]) {
  rows[n] = { file: await best(() => timeRunner(n, false), 7), stream: await best(() => timeRunner(n, true), 7), binary: await best(() => timeBinary(n), 2) };
  console.log(`${String(n).padStart(15)}   ${fmt(rows[n].file)}   ${fmt(rows[n].stream)}   ${fmt(rows[n].binary)}`);
}
const ratio = (k) => (rows[80_000][k] / rows[40_000][k]).toFixed(2);
console.log(`ratio 80k/40k         ${ratio('file').padStart(9)}      ${ratio('stream').padStart(9)}      ${ratio('binary').padStart(9)}   (about 2 = linear; the binary includes ~constant start-up)`);

console.log('\nbaseline, the old quadratic joining, same run:');
const naive = {};
for (const n of [5_000, 10_000, 20_000]) {
  naive[n] = await best(() => naiveJoin(n));
  console.log(`${String(n).padStart(15)}   ${fmt(naive[n])}`);
}
console.log(`ratio 20k/10k         ${(naive[20_000] / naive[10_000]).toFixed(2).padStart(9)}   (about 4 = quadratic)`);
console.log(`at 10k continued lines the runner takes ${(rows[10_000].file / naive[10_000]).toFixed(2)}× the old joining alone`);
rmSync(dir, { recursive: true, force: true });
