// Measures lock acquire+release throughput through opsdeck's Redis adapter (adapter.locks) next to
// two baselines measured against the same redis-server in the same run:
//   raw     — ioredis `SET key token NX PX 30000`, then EVALSHA of a compare-and-delete Lua script;
//   redlock — npm redlock@4 on the one server (retryCount 0).
// Each worker owns one lock name and loops acquire → release on it, so no acquire ever contends;
// this measures the cost of the protocol, not of waiting. It only prints; nothing here asserts.
// Run: node bench/redis-locks.mjs   (BENCH_SECONDS=2 BENCH_CONCURRENCY=1,16 BENCH_ROUNDS=3 to change)
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';

const TARGET_VS_RAW = 0.9;
const TARGET_VS_REDLOCK = 1.5;
const TTL_MS = 30_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2); // measured time per (implementation, concurrency, round)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1); // per (implementation, concurrency), before round 1
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SLICES = 4; // each round of a cell alternates the implementations in this many slices
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16').split(',').map(Number);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Redlock = require('redlock');

// ---- redis-server (the approach of test/servers/redis-server.ts, in plain JS) ----------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server is not installed (apt-get install redis-server); this bench needs a real server');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} did not start:\n${out}`)), 10_000);
    const onData = (d) => {
      out += d;
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${out}`));
    });
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- opsdeck's adapter, bundled from source -------------------------------------------------

/** Bundles src/adapters/redis/index.ts; returns its connect, or a reason why it is not usable yet. */
async function loadOpsdeck() {
  const entry = join(root, 'src/adapters/redis/index.ts');
  if (!existsSync(entry)) return { reason: 'src/adapters/redis/index.ts does not exist yet' };
  // ioredis stays external so the adapter and both baselines share one ioredis; the bundle is
  // written under node_modules/.cache so that import resolves to the project's node_modules.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'opsdeck-bench-redis-locks-'));
  try {
    const outfile = join(dir, 'redis-adapter.mjs');
    await build({
      stdin: { contents: "export { connect } from './src/adapters/redis/index.ts';\n", resolveDir: root, loader: 'ts', sourcefile: 'bench-redis-locks-entry.ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['ioredis'],
      outfile,
      logLevel: 'silent',
    });
    const mod = await import(pathToFileURL(outfile).href);
    if (typeof mod.connect !== 'function') return { reason: 'src/adapters/redis/index.ts does not export connect' };
    return { connect: mod.connect };
  } catch (e) {
    return { reason: `bundling src/adapters/redis/index.ts failed: ${String(e?.message ?? e).split('\n').slice(0, 4).join(' | ')}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the three implementations: each is {name, pair(worker) → Promise<boolean>, close()} -----

const CAD_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

async function rawImpl(url) {
  const client = new Redis(url);
  await client.ping();
  const sha = await client.script('LOAD', CAD_SCRIPT);
  return {
    name: 'raw',
    makeWorker(w) {
      const key = `bench:raw:w${w}`;
      return async () => {
        const token = randomUUID();
        const ok = await client.set(key, token, 'PX', TTL_MS, 'NX');
        if (ok !== 'OK') return false;
        return (await client.evalsha(sha, 1, key, token)) === 1;
      };
    },
    close: () => client.quit(),
  };
}

async function redlockImpl(url) {
  const client = new Redis(url);
  await client.ping();
  const redlock = new Redlock([client], { retryCount: 0 });
  redlock.on('clientError', (e) => console.error(`redlock clientError: ${e.message}`));
  return {
    name: 'redlock',
    makeWorker(w) {
      const key = `bench:redlock:w${w}`;
      return async () => {
        const lock = await redlock.lock(key, TTL_MS);
        await lock.unlock();
        return true;
      };
    },
    close: () => client.quit(),
  };
}

async function opsdeckImpl(connect, url, dataDir) {
  const adapter = await connect({ url }, { dataDir, version: 'bench', name: 'redis' });
  const locks = adapter.locks;
  if (!locks?.tryAcquire || !locks?.release) throw new Error('adapter.locks has no tryAcquire/release');
  await adapter.ping();
  return {
    name: 'opsdeck',
    makeWorker(w) {
      const name = `bench/opsdeck/w${w}`;
      const owner = `bench-w${w}`;
      return async () => {
        const got = await locks.tryAcquire(name, { owner, ttlMs: TTL_MS, waitMs: 0 });
        if (got.holder !== owner) return false;
        const rel = await locks.release(name, owner);
        return rel.released === true && rel.remaining === 0;
      };
    },
    close: () => adapter.dispose(),
  };
}

// ---- measurement ------------------------------------------------------------------------------

/** Runs `concurrency` workers, each looping acquire+release, for `seconds`; counts the pairs. */
async function measure(impl, concurrency, seconds) {
  const workers = Array.from({ length: concurrency }, (_, w) => impl.makeWorker(w));
  let ok = 0;
  let failed = 0;
  let errors = 0;
  let firstError;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    workers.map(async (pair) => {
      while (performance.now() < end) {
        try {
          if (await pair()) ok++;
          else failed++;
        } catch (e) {
          errors++;
          firstError ??= e;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { ok, failed, errors, firstError, elapsed };
}

/** Server-side command counts since the last CONFIG RESETSTAT, without the admin client's own. */
async function commandStats(admin) {
  const text = await admin.info('commandstats');
  const calls = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (m[1] === 'info' || m[1].startsWith('config')) continue;
    calls[m[1]] = Number(m[2]);
  }
  return calls;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtOps = (x) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'));

// ---- run ------------------------------------------------------------------------------------

const server = await startRedis();
const dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-redis-locks-data-'));
const admin = new Redis(server.url);
const impls = [];
try {
  const redisVersion = (await admin.info('server')).match(/redis_version:(\S+)/)?.[1];
  const ops = await loadOpsdeck();
  if (ops.connect) impls.push(await opsdeckImpl(ops.connect, server.url, dataDir));
  impls.push(await rawImpl(server.url));
  impls.push(await redlockImpl(server.url));

  console.log(`redis lock benchmark: node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), redis-server ${redisVersion} on loopback`);
  console.log(`one acquire+release pair per op; each worker loops on its own lock name, so acquires never contend; TTL ${TTL_MS} ms.`);
  console.log(`raw     = ioredis SET key <uuid> NX PX ${TTL_MS}, then EVALSHA compare-and-delete (2 round trips)`);
  console.log(`redlock = npm redlock@${require('redlock/package.json').version} on this one server, retryCount 0`);
  console.log(`opsdeck = src/adapters/redis connect({url}) → adapter.locks.tryAcquire(name, {owner, ttlMs, waitMs: 0}) + release(name, owner)`);
  console.log(`each implementation has its own ioredis connection (ioredis ${require('ioredis/package.json').version}); workers share it (pipelined).`);
  console.log(`${WARMUP_SECONDS}s warm-up per cell, then ${ROUNDS} rounds of ${SECONDS}s per cell, each round in ${SLICES} alternating slices`);
  console.log(`with the order rotating every slice; the median of the ${ROUNDS} rounds is reported (pairs/s = pairs / measured time).`);
  if (!ops.connect) console.log(`opsdeck: NOT MEASURED — ${ops.reason}`);
  console.log('');

  for (const c of CONCURRENCY) for (const impl of impls) {
    const r = await measure(impl, c, WARMUP_SECONDS);
    if (r.errors) console.log(`warm-up ${impl.name} c=${c}: ${r.errors} errors, first: ${r.firstError?.message}`);
  }

  /** results[c][impl] = pairs/s per round; calls[c][impl] = server command counts, all rounds; pairs[c][impl] = pairs, all rounds. */
  const results = {};
  const calls = {};
  const pairs = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [ci, c] of CONCURRENCY.entries()) {
      results[c] ??= {};
      calls[c] ??= {};
      pairs[c] ??= {};
      const acc = Object.fromEntries(impls.map((i) => [i.name, { ok: 0, elapsed: 0 }]));
      // A round of one cell is SLICES short runs per implementation, alternating, with the order
      // rotating every slice, so a burst of outside load lands on every implementation alike.
      for (let slice = 0; slice < SLICES; slice++) {
        const k = (round * SLICES + slice + ci) % impls.length;
        for (const impl of [...impls.slice(k), ...impls.slice(0, k)]) {
          await admin.config('RESETSTAT');
          const r = await measure(impl, c, SECONDS / SLICES);
          const got = await commandStats(admin);
          acc[impl.name].ok += r.ok;
          acc[impl.name].elapsed += r.elapsed;
          pairs[c][impl.name] = (pairs[c][impl.name] ?? 0) + r.ok + r.failed;
          const into = (calls[c][impl.name] ??= {});
          for (const [cmd, n] of Object.entries(got)) into[cmd] = (into[cmd] ?? 0) + n;
          if (r.failed || r.errors) console.log(`round ${round + 1} ${impl.name} c=${c}: ${r.failed} acquires/releases refused, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError.message})` : ''}`);
        }
      }
      for (const impl of impls) (results[c][impl.name] ??= []).push(acc[impl.name].ok / acc[impl.name].elapsed);
    }
  }

  const names = impls.map((i) => i.name);
  console.log(`${'concurrency'.padEnd(12)} ${'impl'.padEnd(8)} ${'median pairs/s'.padStart(15)} ${'µs/pair'.padStart(9)}   ${'rounds (pairs/s)'}`);
  const medians = {};
  for (const c of CONCURRENCY) {
    medians[c] = {};
    for (const n of names) {
      const xs = results[c][n];
      medians[c][n] = median(xs);
      const us = c === 1 ? (1e6 / medians[c][n]).toFixed(1) : '';
      console.log(`${String(c).padEnd(12)} ${n.padEnd(8)} ${fmtOps(medians[c][n]).padStart(15)} ${us.padStart(9)}   ${xs.map(fmtOps).join(' / ')}`);
    }
  }
  console.log('');
  console.log('server commands per pair (INFO commandstats over all rounds; commands run inside Lua scripts count too):');
  for (const c of CONCURRENCY) {
    for (const n of names) {
      const s = Object.entries(calls[c][n]).sort((a, b) => b[1] - a[1]).map(([cmd, v]) => `${cmd} ${(v / Math.max(1, pairs[c][n])).toFixed(2)}`);
      console.log(`  c=${String(c).padEnd(3)} ${n.padEnd(8)} ${s.join(', ') || '(none)'}`);
    }
  }
  console.log('');
  const perRound = (c, a, b) => results[c][a].map((x, i) => (x / results[c][b][i]).toFixed(2)).join(' / ');
  const ratioLine = (c, a, b, target) => {
    const ratio = medians[c][a] / medians[c][b];
    return `  c=${String(c).padEnd(3)} ${`${a}/${b}`.padEnd(16)} ${ratio.toFixed(2).padStart(6)}x   target >= ${target.toFixed(1)}x   ${(ratio >= target ? 'met' : 'MISSED').padEnd(6)}   (per round: ${perRound(c, a, b)})`;
  };
  console.log('ratios of the medians (and of each round, measured side by side):');
  for (const c of CONCURRENCY) {
    if (medians[c].opsdeck !== undefined) {
      console.log(ratioLine(c, 'opsdeck', 'raw', TARGET_VS_RAW));
      console.log(ratioLine(c, 'opsdeck', 'redlock', TARGET_VS_REDLOCK));
    }
    const rr = medians[c].raw / medians[c].redlock;
    console.log(`  c=${String(c).padEnd(3)} ${'raw/redlock'.padEnd(16)} ${rr.toFixed(2).padStart(6)}x   context: ${TARGET_VS_REDLOCK}x redlock = ${(TARGET_VS_REDLOCK / rr).toFixed(2)}x raw here   (per round: ${perRound(c, 'raw', 'redlock')})`);
  }
  if (medians[CONCURRENCY[0]].opsdeck === undefined) console.log(`  opsdeck ratios: not measured (${ops.reason})`);
} finally {
  for (const impl of impls) await impl.close().catch(() => undefined);
  await admin.quit().catch(() => undefined);
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
