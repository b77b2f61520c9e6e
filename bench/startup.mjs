#!/usr/bin/env node
// Start-up benchmark: wall time from spawning a process to its exit, for
//   (a) `node -e 0`                                  the floor: Node itself
//   (b) `node bin/opsdeck.js version`                opsdeck's own start-up, no store (target ≤ 1.3×)
//   (c) `node bin/opsdeck.js services list -o json`  a real read of a demo-filled data dir (≤ 1.5×)
// Runs are interleaved in a shuffled order per round, after warm-up rounds, so drift (CPU
// frequency, page cache, other load) hits every case alike. A benchmark only: it never fails on
// timing, and tests do not run it. Usage: npm run build && node bench/startup.mjs [samples]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNote, printTargets, quantile, shuffled, target } from './targets.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'opsdeck.js');
const WARMUP_ROUNDS = 5;

/** Measures the one-shot cases; prints the detail table; returns the two targets. */
export async function measureStartup(samples = 40) {
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('dist/ is missing; run "npm run build" first.');
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
      { label: 'node -e 0 (baseline)', args: ['-e', '0'], samples: [] },
      { label: 'opsdeck version', args: [BIN, 'version'], samples: [], limit: 1.3 },
      { label: `opsdeck services list -o json (${services.length} services)`, args: [BIN, 'services', 'list', '-o', 'json'], samples: [], limit: 1.5 },
    ];
    const loadBefore = loadNote();
    for (let round = 0; round < WARMUP_ROUNDS + samples; round++) {
      for (const c of shuffled(cases)) {
        const { ms } = run(c.args);
        if (round >= WARMUP_ROUNDS) c.samples.push(ms);
      }
    }
    const base = quantile(cases[0].samples, 0.5);
    const rows = cases.map((c) => {
      const median = quantile(c.samples, 0.5);
      const p90 = quantile(c.samples, 0.9);
      return [c.label, String(c.samples.length), median.toFixed(1), p90.toFixed(1), `${(median / base).toFixed(2)}x`, `${(p90 / base).toFixed(2)}x`];
    });
    const header = ['case', 'n', 'median ms', 'p90 ms', 'median/base', 'p90/base'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    const filled = JSON.parse(demo.stdout);
    console.log(`one-shot start-up: ${WARMUP_ROUNDS} warm-up rounds, then ${samples} interleaved samples per case (spawn to exit, wall time)`);
    console.log(`data dir pre-filled by "opsdeck demo": ${filled.services} services, ${filled.instances} instances, ${filled.configsCreated} configs, ${filled.locksTaken} locks`);
    console.log(`before: ${loadBefore}; after: ${loadNote()}`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('');
    return cases.slice(1).map((c) =>
      target({ name: `one-shot ${c.label.replace(/^opsdeck /, '').replace(/ \(.*\)$/, '')}`, value: quantile(c.samples, 0.5), baseline: base, baselineLabel: 'node -e 0', limit: c.limit, note: '' }),
    );
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`opsdeck start-up benchmark: node ${process.version}, ${process.platform}-${process.arch}\n`);
  const samples = Math.max(30, Number(process.argv[2]) || 40);
  printTargets('one-shot start-up (medians)', await measureStartup(samples));
}
