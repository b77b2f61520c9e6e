// The load engine against wrk and autocannon, all three in the same run on the same servers.
//
//  1. Throughput: nginx (one worker) serving a small static file and a 1 KB JSON; wrk with 2
//     threads, autocannon and opsdeck's engine (2 workers) with the same connections and duration.
//     Targets: opsdeck ≥ 0.7× wrk's req/s and ≥ 2× autocannon's.
//  2. Latency at a moderate fixed load, one thread each: wrk has no rate option (wrk2 is not packaged), so wrk runs
//     with a Lua delay() that holds each connection between requests, and opsdeck then runs at
//     the rate wrk reached. Target: opsdeck's p50 and p99 within 20% of wrk's.
//  3. Coordinated omission: a node server that stalls 1 s every 5 s, loaded at a constant rate. The
//     true latency of each request, counted from when it was due, follows from the schedule and
//     the stall windows the server reports. Target: opsdeck's p99 within 10% of the true p99, and
//     autocannon's (which measures from the actual send) not.
// Each measurement runs ROUNDS times (interleaved) and the median is reported, with the load
// average: the machine is shared, so single numbers are noise.
// Run: node bench/load.mjs   (env: ROUNDS=3 SECONDS=5 CONNECTIONS=64 WORKERS=2 PARTS=1,2,3)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './load-source.mjs';
import { loadNote, median } from './targets.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const RATE_CONNECTIONS = 16;
/**
 * Engine workers: two, as wrk's two threads. On a shared machine the scheduler gives each busy
 * thread a share, so the thread count matters as much as the cost per request; one worker is
 * measured too and printed for information.
 */
const WORKERS = Number(process.env.WORKERS ?? 2);
/** Which of the three parts below to run (PARTS=2,3 skips the throughput part). */
const PARTS = new Set((process.env.PARTS ?? '1,2,3').split(','));
/** Mean per-connection pause of wrk's delay() in the fixed-load part: 16 connections / 30 ms ≈ 530 req/s. */
const WRK_DELAY_MS = 30;
const STALL_RATE = 500;
const STALL_SECONDS = 10;

// Debian puts nginx in /usr/sbin, which is not on every user's PATH.
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
for (const cmd of [NGINX, 'wrk']) {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) {
    console.error(`bench/load: ${cmd} is missing; run node scripts/test-tools.mjs (apt package ${cmd})`);
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), 'opsdeck-bench-load-'));
const cleanups = [() => rmSync(work, { recursive: true, force: true })];
const cleanup = () => cleanups.splice(0).reverse().forEach((f) => f());
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

// The engine from the sources: run-load and its worker bundled side by side, as dist/ has them.
const engineDir = join(work, 'engine');
await build({
  entryPoints: { 'run-load': join(ROOT, 'src/loadgen/run-load.ts'), 'load-worker': join(ROOT, 'src/loadgen/load-worker.ts') },
  outdir: engineDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
writeFileSync(join(engineDir, 'package.json'), '{"type":"module"}');
// Like wrk and autocannon, the engine runs in a process of its own, so its CPU time is its own.
const engineRunner = join(engineDir, 'run.js');
writeFileSync(engineRunner, "import { runLoad } from './run-load.js';\nprocess.stdout.write(JSON.stringify(await runLoad(JSON.parse(process.argv[2]))));\n");
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const freePort = () =>
  new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startNginx() {
  const dir = join(work, 'nginx');
  const port = await freePort();
  spawnSync('mkdir', ['-p', join(dir, 'www'), join(dir, 'tmp')]);
  writeFileSync(join(dir, 'www', 'small.html'), '<!doctype html><title>ok</title><p>ok</p>\n');
  // A 1 KB JSON document: a few records, padded to exactly 1024 bytes.
  const items = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `item-${i + 1}`, healthy: i % 3 !== 0, weight: 10 * i }));
  const bare = JSON.stringify({ service: 'bench', items, pad: '' });
  writeFileSync(join(dir, 'www', 'data.json'), JSON.stringify({ service: 'bench', items, pad: 'x'.repeat(1024 - bare.length) }));
  // nginx's workers drop root to nobody, who must be able to read the files.
  for (const p of [work, dir, join(dir, 'www'), join(dir, 'tmp')]) chmodSync(p, 0o755);
  const conf = join(dir, 'nginx.conf');
  const t = join(dir, 'tmp');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path ${t}/body; proxy_temp_path ${t}/proxy; fastcgi_temp_path ${t}/fcgi; uwsgi_temp_path ${t}/uwsgi; scgi_temp_path ${t}/scgi;
  types { text/html html; application/json json; }
  server { listen 127.0.0.1:${port}; root ${dir}/www; }
}
`,
  );
  const proc = spawn(NGINX, ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  cleanups.push(() => proc.kill('SIGTERM'));
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/small.html`).then((r) => r.ok, () => false);
    if (ok) return { port, proc };
    await sleep(50);
  }
  throw new Error(`nginx did not start: ${err}`);
}

/** A server that answers at once, except for 1 s every 5 s (from 2 s after its first request), when it holds every answer until the second ends. */
function stallServerScript() {
  return `
const http = require('node:http');
let first = 0;
const pauses = [];
const server = http.createServer((req, res) => {
  const now = Date.now();
  if (req.url === '/__pauses') return res.end(JSON.stringify(pauses));
  if (first === 0) {
    first = now;
    for (let s = first + 2000; s < first + 60000; s += 5000) pauses.push([s, s + 1000]);
  }
  const p = pauses.find(([a, b]) => now >= a && now < b);
  const answer = () => res.end('ok');
  if (p) setTimeout(answer, p[1] - now); else answer();
});
server.keepAliveTimeout = 120000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;
}

async function startStallServer() {
  const proc = spawn(process.execPath, ['-e', stallServerScript()], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => proc.kill());
  const port = await new Promise((resolve) => proc.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { port, stop: () => proc.kill(), pauses: () => fetch(`http://127.0.0.1:${port}/__pauses`).then((r) => r.json()) };
}

/** Runs a program to its end; with /usr/bin/time (package time), also the CPU time it used (ms, user + system). */
let runs = 0;
function run(cmd, args) {
  const cpuFile = join(work, `cpu-${++runs}`);
  const [bin, argv] = TIME ? [TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const p = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${err || out}`));
      const cpuMs = TIME ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, b) => a + Number(b) * 1000, 0) : NaN;
      resolve({ out, cpuMs });
    });
  });
}

/** wrk with a Lua done() that prints req/s and exact percentiles (µs) as JSON, and an optional delay(). */
async function wrk(url, { connections, seconds, delayMs, threads = 2 }) {
  const script = join(work, `wrk-${delayMs ?? 0}.lua`);
  writeFileSync(
    script,
    // A random pause (mean delayMs): a fixed one wakes all connections in step, and each burst
    // queues at the server, which an evenly paced schedule does not do.
    `${delayMs ? `function delay() return math.random(0, ${2 * delayMs}) end\n` : ''}done = function(summary, latency, requests)
  io.write(string.format('JSON {"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":%d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`,
  );
  const { out, cpuMs } = await run('wrk', ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '-s', script, url]);
  const j = JSON.parse(out.slice(out.indexOf('JSON ') + 5).split('\n')[0]);
  return { rps: j.requests / (j.us / 1e6), p50: j.p50, p99: j.p99, requests: j.requests, errors: j.errors, cpuMs, cpuPerReq: (cpuMs * 1000) / j.requests };
}

/** autocannon in its own process (its CLI), as a user runs it. */
async function autocannon(url, { connections, seconds, rate, ignoreCoordinatedOmission = false, amount }) {
  const args = [join(ROOT, 'node_modules/autocannon/autocannon.js'), '-c', String(connections), '-d', String(seconds), '--json'];
  if (amount) args.push('-a', String(amount));
  if (rate) args.push('--overallRate', String(rate));
  if (ignoreCoordinatedOmission) args.push('--ignoreCoordinatedOmission');
  const { out, cpuMs } = await run(process.execPath, [...args, url]);
  const j = JSON.parse(out);
  // autocannon reports milliseconds (with fractions).
  return { rps: j.requests.total / (j.duration || seconds), p50: j.latency.p50 * 1000, p90: j.latency.p90 * 1000, p99: j.latency.p99 * 1000, requests: j.requests.total, cpuMs, cpuPerReq: (cpuMs * 1000) / j.requests.total };
}

async function opsdeck(url, { connections, seconds, rate, pipelining = 1, workers = WORKERS, requests }) {
  const plan = { targets: [{ url }], method: 'GET', headers: {}, durationMs: seconds * 1000, connections, workers, timeoutMs: 5000, keepAlive: true, pipelining };
  if (requests) plan.requests = requests;
  if (rate) plan.rate = rate;
  const { out, cpuMs } = await run(process.execPath, [engineRunner, JSON.stringify(plan)]);
  const r = JSON.parse(out);
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  return { rps: r.requestsPerSec, p50: r.latency.percentiles['50'], p99: r.latency.percentiles['99'], requests: r.requests, errors, result: r, cpuMs, cpuPerReq: (cpuMs * 1000) / r.requests };
}

const rows = [];
function row(target, measured, baseline, ratio, pass) {
  rows.push({ target, measured, baseline, ratio, pass });
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${target}\n      measured ${measured}, baseline ${baseline}, ratio ${ratio}`);
}
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2));
const us = (n) => (n >= 1000 ? `${(n / 1000).toFixed(2)} ms` : `${Math.round(n)} µs`);

console.log(`bench/load: ${ROUNDS} rounds, ${SECONDS} s each, ${CONNECTIONS} connections, opsdeck with ${WORKERS} worker(s); before: ${loadNote()}`);
const nginx = await startNginx();

/**
 * CPU a tool spends starting and stopping (a run of one request per connection), taken off its
 * CPU time before dividing by answers, so CPU per answer compares the load loops themselves: a
 * busy machine gives short runs few answers, and start-up (Node, the bundle, worker isolates)
 * would otherwise dominate. wrk's start-up is negligible.
 */
const startup = { wrk: 0, opsdeck: [], other: [], autocannon: [] };
if (TIME && PARTS.has('1')) {
  const url = `http://127.0.0.1:${nginx.port}/small.html`;
  for (let i = 0; i < 3; i++) {
    startup.opsdeck.push((await opsdeck(url, { connections: CONNECTIONS, seconds: 30, requests: CONNECTIONS })).cpuMs);
    startup.other.push((await opsdeck(url, { connections: CONNECTIONS, seconds: 30, requests: CONNECTIONS, workers: WORKERS === 1 ? 2 : 1 })).cpuMs);
    startup.autocannon.push((await autocannon(url, { connections: CONNECTIONS, seconds: 30, amount: CONNECTIONS })).cpuMs);
  }
  for (const k of ['opsdeck', 'other', 'autocannon']) startup[k] = median(startup[k]);
  console.log(`start-up CPU (median of 3): opsdeck ${fmt(startup.opsdeck)} ms, with ${WORKERS === 1 ? 2 : 1} workers ${fmt(startup.other)} ms, autocannon ${fmt(startup.autocannon)} ms`);
}

// 1. Throughput.
for (const file of PARTS.has('1') ? ['small.html', 'data.json'] : []) {
  const url = `http://127.0.0.1:${nginx.port}/${file}`;
  const other = WORKERS === 1 ? 2 : 1;
  const m = { wrk: [], autocannon: [], opsdeck: [], other: [], cpu: { wrk: [], autocannon: [], opsdeck: [], other: [] } };
  for (let i = 0; i < ROUNDS; i++) {
    const w = await wrk(url, { connections: CONNECTIONS, seconds: SECONDS });
    const o = await opsdeck(url, { connections: CONNECTIONS, seconds: SECONDS });
    const a = await autocannon(url, { connections: CONNECTIONS, seconds: SECONDS });
    const o2 = await opsdeck(url, { connections: CONNECTIONS, seconds: SECONDS, workers: other });
    for (const [k, v] of Object.entries({ wrk: w, opsdeck: o, autocannon: a, other: o2 })) {
      m[k].push(v.rps);
      m.cpu[k].push(((v.cpuMs - startup[k]) * 1000) / v.requests);
    }
    console.log(
      `  ${file} round ${i + 1}: wrk ${fmt(w.rps)}, opsdeck ${fmt(o.rps)} (${o.errors} errors), autocannon ${fmt(a.rps)}, opsdeck with ${other} workers ${fmt(o2.rps)} req/s (load ${loadavg()[0].toFixed(2)})`,
    );
  }
  const [w, o, a] = [median(m.wrk), median(m.opsdeck), median(m.autocannon)];
  console.log(`info  ${file}: opsdeck with ${other} workers: ${fmt(median(m.other))} req/s (${(median(m.other) / w).toFixed(2)}× wrk)`);
  if (TIME) {
    const cpu = (k) => fmt(median(m.cpu[k]));
    console.log(`info  ${file}: CPU per request (after start-up, median): wrk ${cpu('wrk')} µs, opsdeck ${cpu('opsdeck')} µs (${other} workers: ${cpu('other')} µs), autocannon ${cpu('autocannon')} µs`);
  }
  row(`${file}: opsdeck req/s ≥ 0.7× wrk -t2`, `${fmt(o)} req/s`, `wrk ${fmt(w)} req/s`, (o / w).toFixed(2), o >= 0.7 * w);
  row(`${file}: opsdeck req/s ≥ 2× autocannon`, `${fmt(o)} req/s`, `autocannon ${fmt(a)} req/s`, (o / a).toFixed(2), o >= 2 * a);
}

// 2. Latency at a moderate fixed load, one thread each: ~530 req/s needs no second one, and on two
// cores shared with nginx every extra thread adds scheduling noise to a ~60 µs round trip.
if (PARTS.has('2')) {
  const url = `http://127.0.0.1:${nginx.port}/data.json`;
  const m = { wrk50: [], wrk99: [], o50: [], o99: [], rate: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const w = await wrk(url, { connections: RATE_CONNECTIONS, seconds: SECONDS, delayMs: WRK_DELAY_MS, threads: 1 });
    const rate = Math.round(w.rps);
    const o = await opsdeck(url, { connections: RATE_CONNECTIONS, seconds: SECONDS, rate, workers: 1 });
    m.wrk50.push(w.p50);
    m.wrk99.push(w.p99);
    m.o50.push(o.p50);
    m.o99.push(o.p99);
    m.rate.push(rate);
    console.log(`  fixed load round ${i + 1}: ${rate} req/s (opsdeck reached ${fmt(o.rps)}); wrk p50 ${us(w.p50)} p99 ${us(w.p99)}; opsdeck p50 ${us(o.p50)} p99 ${us(o.p99)} (load ${loadavg()[0].toFixed(2)})`);
  }
  for (const p of ['50', '99']) {
    const o = median(m[`o${p}`]);
    const w = median(m[`wrk${p}`]);
    row(`fixed load ~${fmt(median(m.rate))} req/s: opsdeck p${p} within 20% of wrk's`, us(o), `wrk ${us(w)}`, (o / w).toFixed(2), Math.abs(o / w - 1) <= 0.2);
  }
}

// 3. Coordinated omission against a stalling server. opsdeck pipelines (up to 64 requests in flight
// per connection, as wrk's scripts allow), so the requests that fall due during a stall still go out
// on time and their latency is the server's alone; without pipelining each connection queues its
// share of the stall's requests behind one another, and the tail then also includes how fast the
// server drains that queue (printed for information).
// autocannon with a rate corrects by default, after the fact: each answer slower than "the
// expected interval" is back-filled with synthetic values one interval apart, and autocannon takes
// that interval as ceil(1 / per-connection rate) ms, which is 1 ms at any rate of 1 req/s or more
// per connection. A 1 s stall then adds ~1000 values per connection where 1000/(C/R) requests
// were due. The target row uses what it measures (--ignoreCoordinatedOmission, latency from the
// actual send); its default figure is printed beside it, with its p50 and p90 against the truth.
if (PARTS.has('3')) {
  // Few connections, so that measured from the actual send only a few requests see a stall
  // (2 stalls × 10 connections = 0.4% of 5000): a p99 that shows the stalls shows the correction.
  const STALL_CONNECTIONS = 10;
  /** Latencies counted from each request's due time: zero outside a stall, until its end inside. */
  const truth = (startMs, pauses) => {
    const n = STALL_RATE * STALL_SECONDS;
    const lat = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const due = startMs + (i * 1000) / STALL_RATE;
      const p = pauses.find(([a, b]) => due >= a && due < b);
      lat[i] = p ? (p[1] - due) * 1000 : 0;
    }
    lat.sort();
    return (q) => lat[Math.ceil((q / 100) * n) - 1];
  };
  const m = { o: [], t: [], a: [], ad: [], ad50: [], ad90: [], t90: [], single: [], singleTrue: [] };
  const stallUrl = (s) => `http://127.0.0.1:${s.port}/`;
  for (let i = 0; i < ROUNDS; i++) {
    let s = await startStallServer();
    const o = await opsdeck(stallUrl(s), { connections: STALL_CONNECTIONS, seconds: STALL_SECONDS, rate: STALL_RATE, pipelining: 64 });
    const t = truth(Date.parse(o.result.startedAt), await s.pauses());
    s.stop();
    s = await startStallServer();
    const one = await opsdeck(stallUrl(s), { connections: STALL_CONNECTIONS, seconds: STALL_SECONDS, rate: STALL_RATE });
    const oneTrue = truth(Date.parse(one.result.startedAt), await s.pauses());
    s.stop();
    s = await startStallServer();
    const a = await autocannon(stallUrl(s), { connections: STALL_CONNECTIONS, seconds: STALL_SECONDS, rate: STALL_RATE, ignoreCoordinatedOmission: true });
    s.stop();
    s = await startStallServer();
    const ad = await autocannon(stallUrl(s), { connections: STALL_CONNECTIONS, seconds: STALL_SECONDS, rate: STALL_RATE });
    s.stop();
    m.o.push(o.p99);
    m.t.push(t(99));
    m.t90.push(t(90));
    m.a.push(a.p99);
    m.ad.push(ad.p99);
    m.ad50.push(ad.p50);
    m.ad90.push(ad.p90);
    m.single.push(one.p99);
    m.singleTrue.push(oneTrue(99));
    console.log(
      `  stall round ${i + 1}: true p99 ${us(t(99))}; opsdeck ${us(o.p99)} (${o.requests} answers, ${o.errors} errors); without pipelining ${us(one.p99)} (true ${us(oneTrue(99))}); autocannon ${us(a.p99)} from sends (${a.requests} answers), ${us(ad.p99)} with its own correction (load ${loadavg()[0].toFixed(2)})`,
    );
  }
  const [o, t, a] = [median(m.o), median(m.t), median(m.a)];
  row(`stalled server at ${STALL_RATE} req/s: opsdeck p99 within 10% of the true p99`, us(o), `true ${us(t)}`, (o / t).toFixed(2), Math.abs(o / t - 1) <= 0.1);
  row(`stalled server at ${STALL_RATE} req/s: autocannon's measured p99 is not within 10% of it`, us(a), `true ${us(t)}`, (a / t).toFixed(2), Math.abs(a / t - 1) > 0.1);
  console.log(`info  opsdeck without pipelining: p99 ${us(median(m.single))} against true ${us(median(m.singleTrue))} (includes the server draining the queued requests)`);
  console.log(`info  autocannon's default (synthetic back-fill): p50 ${us(median(m.ad50))} (true 0), p90 ${us(median(m.ad90))} (true ${us(median(m.t90))}), p99 ${us(median(m.ad))}`);
}

console.log(`\nafter: ${loadNote()}`);
console.log(`${rows.filter((r) => r.pass).length}/${rows.length} targets met`);
cleanup();
process.exit(0);
