#!/usr/bin/env node
// Start-up benchmark: wall time from spawning a process to its exit, for
//   (a) `node -e 0`                                  the floor: Node itself
//   (b) `node bin/opsdeck.js version`                opsdeck's own start-up, no store
//   (c) `node bin/opsdeck.js services list -o json`  a real read of a demo-filled data dir
// Runs are interleaved in a shuffled order per round, after warm-up rounds, so drift (CPU
// frequency, page cache, other load) hits every case alike. A benchmark only: it never fails on
// timing, and tests do not run it. Usage: npm run build && node bench/startup.mjs [samples]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'opsdeck.js');
const TARGET = 1.5;
const WARMUP_ROUNDS = 5;
const SAMPLES = Math.max(30, Number(process.argv[2]) || 40);

if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
  console.error('bench/startup.mjs: dist/ is missing; run "npm run build" first.');
  process.exit(2);
}

const sandbox = mkdtempSync(join(tmpdir(), 'opsdeck-bench-'));
try {
  const env = {
    ...process.env,
    OPSDECK_DATA_DIR: join(sandbox, 'data'),
    XDG_CONFIG_HOME: join(sandbox, 'config'),
    XDG_DATA_HOME: join(sandbox, 'xdg-data'),
    NO_COLOR: '1',
  };
  delete env.OPSDECK_PROFILE;
  delete env.OPSDECK_CONFIG;
  delete env.OPSDECK_WAL_COMPACT_BYTES;
  delete env.NODE_OPTIONS;
  mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });

  const run = (args) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stderr}`);
    return { ms, stdout: r.stdout };
  };

  const demo = run([BIN, 'demo', '-o', 'json']);
  const services = JSON.parse(run([BIN, 'services', 'list', '-o', 'json']).stdout).services;
  if (!Array.isArray(services) || services.length === 0) throw new Error('the demo data dir lists no services');

  const cases = [
    { label: 'node -e 0 (baseline)', args: ['-e', '0'] },
    { label: 'opsdeck version', args: [BIN, 'version'] },
    { label: `opsdeck services list -o json (${services.length} services)`, args: [BIN, 'services', 'list', '-o', 'json'] },
  ];
  for (const c of cases) c.samples = [];

  const shuffled = () => {
    const order = [...cases];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };
  for (let round = 0; round < WARMUP_ROUNDS + SAMPLES; round++) {
    for (const c of shuffled()) {
      const { ms } = run(c.args);
      if (round >= WARMUP_ROUNDS) c.samples.push(ms);
    }
  }

  const quantile = (xs, q) => {
    const s = [...xs].sort((a, b) => a - b);
    const pos = (s.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  const base = quantile(cases[0].samples, 0.5);
  const rows = cases.map((c, i) => {
    const median = quantile(c.samples, 0.5);
    const p90 = quantile(c.samples, 0.9);
    const ratio = median / base;
    return [
      c.label,
      String(c.samples.length),
      median.toFixed(1),
      p90.toFixed(1),
      `${ratio.toFixed(2)}x`,
      `${(p90 / base).toFixed(2)}x`,
      i === 0 ? '-' : ratio <= TARGET ? 'meets' : 'MISSES',
    ];
  });
  const header = ['case', 'n', 'median ms', 'p90 ms', 'median/base', 'p90/base', `target <=${TARGET}x`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');

  console.log(`opsdeck start-up benchmark: node ${process.version}, ${process.platform}-${process.arch}`);
  console.log(`${WARMUP_ROUNDS} warm-up rounds, then ${SAMPLES} interleaved samples per case (spawn to exit, wall time)`);
  const filled = JSON.parse(demo.stdout);
  console.log(`data dir pre-filled by "opsdeck demo": ${filled.services} services, ${filled.instances} instances, ${filled.configsCreated} configs, ${filled.locksTaken} locks`);
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`Target: each opsdeck case's median within ${TARGET}x the baseline median (${base.toFixed(1)} ms), i.e. <= ${(base * TARGET).toFixed(1)} ms.`);
} finally {
  rmSync(sandbox, { recursive: true, force: true });
}
