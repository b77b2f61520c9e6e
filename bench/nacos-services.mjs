#!/usr/bin/env node
// `opsdeck services list -o json` against a real Nacos holding 10,000 services × 3 instances,
// next to a baseline measured in the same run: the same HTTP pages the adapter reads (login, the
// namespace list, then per namespace the service pages), requested one after another with undici
// from this process, each answer parsed. Prints the wall time of both, opsdeck's max RSS (from
// /usr/bin/time -v) and the ratios against the targets (wall ≤ 1.3× the baseline, RSS ≤ 150 MB).
// A benchmark only: it never fails on timing, and the tests do not run it.
//
// The server is started with the shared peers' nacos-peer (auth on), in a temp dir, and stopped at
// the end; its start time is printed. The services are registered by the real Java client (the
// interop program test/interop/nacos-client, `populate`: one gRPC batch per service, ephemeral
// instances that live while that JVM runs, which it does until the end). BENCH_POPULATE=http
// registers persistent instances through the v1 HTTP API instead, with bounded concurrency, and
// sets each service's cluster to the health checker NONE so Nacos does not TCP-probe 30,000
// addresses (they are loopback ones, 127.10.x.y, either way); on 2.5.1 here that managed only
// ~60 requests/s (every persistent write goes through Raft), about 11 minutes for 10,000 services.
//
// Usage: npm run build && npm run bench:nacos
//   BENCH_NACOS_VERSION=2.5.1|3.0.3 (default 2.5.1)  BENCH_SERVICES=10000  BENCH_INSTANCES=3
//   BENCH_ROUNDS=3  BENCH_POPULATE=grpc|http  BENCH_CONCURRENCY=24 (http populate)
//   OPSDECK_NACOS_PEERS=<folder with nacos-peer>
//   BENCH_NACOS_URL=http://127.0.0.1:P/nacos BENCH_NACOS_PASSWORD=... : measure a running server that
//   already holds the services (no start, no populate; the version must match BENCH_NACOS_VERSION)
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'opsdeck.js');
const TARGET_WALL = 1.3;
const TARGET_RSS_MB = 150;
const VERSION = process.env.BENCH_NACOS_VERSION ?? '2.5.1';
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 24);
const POPULATE = process.env.BENCH_POPULATE ?? 'grpc';
// The adapter's default page size (profile key pageSize); the baseline asks for the same pages.
const PAGE_SIZE = 500;
const V3 = VERSION.startsWith('3.');

if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
  console.error('bench/nacos-services.mjs: dist/ is missing; run "npm run build" first.');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  console.error('bench/nacos-services.mjs: /usr/bin/time is missing (apt-get install time); it measures the max RSS.');
  process.exit(2);
}

function peersDir() {
  const env = process.env.OPSDECK_NACOS_PEERS;
  const candidates = env ? [env] : [join(ROOT, '../shared/peers/nacos'), '/work/shared/peers/nacos'];
  const found = candidates.find((c) => existsSync(join(c, 'nacos-peer')));
  if (!found) {
    console.error(`bench/nacos-services.mjs: no nacos-peer in ${candidates.join(' or ')}; set OPSDECK_NACOS_PEERS`);
    process.exit(2);
  }
  return join(found, 'nacos-peer');
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- the server -------------------------------------------------------------------------------

async function startServer(dir) {
  const peer = peersDir();
  const t0 = performance.now();
  execFileSync(peer, ['build', VERSION], { stdio: ['ignore', 'ignore', 'inherit'] });
  const built = performance.now();
  const password = `pw${randomBytes(9).toString('hex')}`;
  execFileSync(peer, ['start', VERSION, dir, '--auth'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NACOS_ADMIN_PASSWORD: password } });
  const env = Object.fromEntries(
    readFileSync(join(dir, 'peer.env'), 'utf8')
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  console.log(
    `Nacos ${VERSION}: jar ready in ${secs(built - t0)}; started in ${secs(performance.now() - built)} ` +
      `(ready after ${env.NACOS_READY_SECONDS} s, admin login ${env.NACOS_LOGIN_READY_SECONDS} s later) at ${env.NACOS_URL}`,
  );
  return { url: env.NACOS_URL, port: Number(env.NACOS_PORT), username: env.NACOS_USERNAME, password, stop: () => execFileSync(peer, ['stop', dir], { stdio: 'inherit' }) };
}

// ---- HTTP with undici ----------------------------------------------------------------------------

/** A pool on the server's origin; `call` returns the body text and fails on a non-2xx answer. */
function client(server, connections) {
  const u = new URL(server.url);
  const pool = new Pool(u.origin, { connections, pipelining: 1 });
  const base = u.pathname;
  const call = async (method, path, { query, form, token } = {}) => {
    const qs = query ? `?${new URLSearchParams(query)}` : '';
    const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
    const r = await pool.request({ method, path: `${base}${path}${qs}`, headers, body: form ? new URLSearchParams(form).toString() : undefined });
    const text = await r.body.text();
    if (r.statusCode < 200 || r.statusCode > 299) throw new Error(`${method} ${path}${qs}: HTTP ${r.statusCode} ${text.slice(0, 300)}`);
    return text;
  };
  return { call, close: () => pool.close() };
}

async function login(http, server) {
  const path = V3 ? '/v3/auth/user/login' : '/v1/auth/login';
  return JSON.parse(await http.call('POST', path, { form: { username: server.username, password: server.password } })).accessToken;
}

// ---- populating ---------------------------------------------------------------------------------

const serviceName = (i) => `bench-svc-${String(i).padStart(5, '0')}`;

async function populateHttp(server) {
  const http = client(server, CONCURRENCY);
  const token = await login(http, server);
  const clusterPath = V3 ? '/v3/admin/ns/cluster' : '/v1/ns/cluster';
  let clusterRefused = null;
  const one = async (i) => {
    const name = serviceName(i);
    const ip = `127.10.${(i >> 8) & 255}.${i & 255}`;
    const register = (k) => http.call('POST', '/v1/ns/instance', { token, form: { serviceName: name, groupName: 'DEFAULT_GROUP', ip, port: String(20000 + k), ephemeral: 'false', metadata: JSON.stringify({ version: '1.0.0', zone: `z${k}` }) } });
    await register(0);
    // The cluster exists once the first instance is in it; NONE stops Nacos' TCP health checks.
    if (clusterRefused === null) {
      await http
        .call('PUT', clusterPath, { token, form: { serviceName: name, groupName: 'DEFAULT_GROUP', clusterName: 'DEFAULT', checkPort: '80', useInstancePort4Check: 'true', healthChecker: JSON.stringify({ type: 'NONE' }) } })
        .catch((e) => (clusterRefused ??= e.message));
    }
    for (let k = 1; k < INSTANCES; k++) await register(k);
  };
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const progress = setInterval(() => console.log(`  ... ${done} services registered`), 15_000);
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SERVICES) {
          await one(next++);
          done++;
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const ms = performance.now() - t0;
  if (clusterRefused) console.log(`note: setting the health checker NONE was refused (${clusterRefused.slice(0, 200)}); Nacos health-checks the loopback addresses`);
  console.log(`populated ${SERVICES} services × ${INSTANCES} instances (persistent) in ${secs(ms)} (${Math.round((SERVICES * (INSTANCES + (clusterRefused ? 0 : 1))) / (ms / 1000))} requests/s, ${CONCURRENCY} at a time)`);
  await http.close();
}

const JAVA_MODULE = join(ROOT, 'test/interop/nacos-client');
const JAVA_JAR = join(JAVA_MODULE, 'target/nacos-client-interop.jar');

/** The interop program (built with Maven when its jar is missing); returns the running JVM. */
async function populateGrpc(server) {
  if (!existsSync(JAVA_JAR)) {
    console.log('building test/interop/nacos-client (Maven) ...');
    execFileSync('mvn', ['-q', '-B', '-f', join(JAVA_MODULE, 'pom.xml'), '-DskipTests', 'package'], { stdio: 'inherit' });
  }
  const home = join(dir, 'java-client');
  const child = spawn('java', ['-Xms64m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Duser.home=${home}`, `-DJM.LOG.PATH=${join(home, 'logs')}`, `-DJM.SNAPSHOT.PATH=${home}`, '-jar', JAVA_JAR, `127.0.0.1:${server.port}`, 'public', server.username, server.password], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const lines = [];
  let wake = () => {};
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    wake();
  });
  child.on('exit', () => wake());
  const next = async (tag) => {
    for (;;) {
      const i = lines.findIndex((l) => l.startsWith(`${tag} `) || l.startsWith('ERROR '));
      if (i >= 0) {
        const [line] = lines.splice(i, 1);
        if (line.startsWith('ERROR ')) throw new Error(`the Java client: ${line}\n${stderr}`);
        return JSON.parse(line.slice(tag.length + 1));
      }
      if (child.exitCode !== null) throw new Error(`the Java client exited with ${child.exitCode}:\n${stderr}`);
      await new Promise((r) => (wake = r));
    }
  };
  const t0 = performance.now();
  await next('READY');
  console.log(`Java client connected in ${secs(performance.now() - t0)}`);
  child.stdin.write(`populate ${JSON.stringify({ services: SERVICES, instances: INSTANCES, prefix: 'bench-svc-', threads: 8 })}\n`);
  const done = await next('POPULATED');
  console.log(`populated ${SERVICES} services × ${INSTANCES} instances (ephemeral, one gRPC batch per service, 8 at a time) in ${secs(done.ms)}`);
  return child;
}

// ---- the baseline: the adapter's pages, one after another ---------------------------------------

/**
 * Login, the namespace list, then per namespace the pages the adapter reads (src/adapters/nacos/
 * service-list.ts): 3.x the admin service list with instances, as many pages as page 1's total
 * says; 2.x page 1 of the count list (its total) and as many pages of the list with instances as
 * that total needs. The adapter asks for up to four of those pages at once; this asks one by one.
 */
async function rawListing(server) {
  const http = client(server, 1);
  try {
    const token = await login(http, server);
    let namespaces;
    if (V3) namespaces = JSON.parse(await http.call('GET', '/v3/admin/core/namespace/list', { token })).data.map((n) => n.namespace);
    else namespaces = JSON.parse(await http.call('GET', '/v1/console/namespaces', { token })).data.map((n) => n.namespace || 'public');
    let rows = 0;
    for (const namespaceId of namespaces) {
      if (V3) {
        const page = async (pageNo) => JSON.parse(await http.call('GET', '/v3/admin/ns/service/list', { token, query: { pageNo, pageSize: PAGE_SIZE, namespaceId, withInstances: true } })).data;
        const first = await page(1);
        rows += first.pageItems.length;
        for (let pageNo = 2; pageNo <= Math.ceil(first.totalCount / PAGE_SIZE); pageNo++) rows += (await page(pageNo)).pageItems.length;
      } else {
        const first = JSON.parse(await http.call('GET', '/v1/ns/catalog/services', { token, query: { pageNo: 1, pageSize: PAGE_SIZE, namespaceId, withInstances: false } }));
        let withHosts = 0;
        for (let pageNo = 1; pageNo <= Math.max(1, Math.ceil(first.count / PAGE_SIZE)); pageNo++) {
          withHosts += JSON.parse(await http.call('GET', '/v1/ns/catalog/services', { token, query: { pageNo, pageSize: PAGE_SIZE, namespaceId, withInstances: true } })).length;
        }
        if (withHosts !== first.count) throw new Error(`namespace ${namespaceId}: ${withHosts} services with instances, ${first.count} in all (the bench makes no empty services)`);
        rows += withHosts;
      }
    }
    return rows;
  } finally {
    await http.close();
  }
}

/** The baseline in this process: its wall time and CPU time (user + system). */
async function rawInProcess(server) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await rawListing(server);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, rows };
}

/** The same baseline as a process of its own (node and undici start-up included), under /usr/bin/time. */
function rawChild(server, env) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-v', process.execPath, fileURLToPath(import.meta.url)], { env: { ...env, BENCH_RAW_CHILD: JSON.stringify({ url: server.url, username: server.username, password: server.password }) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`the baseline process exited ${code}:\n${err.slice(-2000)}`));
      resolvePromise({ ms, cpuMs: cpuOf(err), rows: Number(out.trim()) });
    });
  });
}

/** User + system seconds from /usr/bin/time -v, in ms. */
function cpuOf(timeOutput) {
  const user = /User time \(seconds\): ([\d.]+)/.exec(timeOutput);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(timeOutput);
  return user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : NaN;
}

if (process.env.BENCH_RAW_CHILD) {
  process.stdout.write(`${await rawListing(JSON.parse(process.env.BENCH_RAW_CHILD))}\n`);
  process.exit(0);
}

// ---- opsdeck, the real binary under /usr/bin/time -v ---------------------------------------------

function opsdeckListing(env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/usr/bin/time', ['-v', process.execPath, BIN, '--profile', 'bench', 'services', 'list', '-o', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`opsdeck services list exited ${code}:\n${err.slice(-2000)}`));
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      if (!rss) return reject(new Error(`no max RSS in /usr/bin/time's output:\n${err.slice(-2000)}`));
      const json = JSON.parse(Buffer.concat(out).toString('utf8'));
      resolvePromise({ rows: json.services.length, complete: json.complete, rssKb: Number(rss[1]), cpuMs: cpuOf(err), services: json.services });
    });
    child.on('error', reject);
  });
}

async function timed(f) {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

// ---- main ------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), `opsdeck-bench-nacos-${VERSION}-`));
const sandbox = mkdtempSync(join(tmpdir(), 'opsdeck-bench-'));
let server;
let javaClient = null;
const stop = () => {
  javaClient?.kill('SIGKILL');
  try {
    server?.stop();
  } catch (e) {
    console.error(`stopping Nacos failed: ${e.message}`);
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(sandbox, { recursive: true, force: true });
};
process.once('SIGINT', () => {
  stop();
  process.exit(130);
});

try {
  if (process.env.BENCH_NACOS_URL) {
    // A server that already holds the services (for trying changes without a new start and populate).
    const url = process.env.BENCH_NACOS_URL.replace(/\/+$/, '');
    server = { url, port: Number(new URL(url).port), username: process.env.BENCH_NACOS_USERNAME ?? 'nacos', password: process.env.BENCH_NACOS_PASSWORD ?? '', stop: () => {} };
    console.log(`using the Nacos ${VERSION} at ${url} (BENCH_NACOS_URL); it must hold the services already`);
  } else {
    server = await startServer(dir);
    javaClient = POPULATE === 'http' ? (await populateHttp(server), null) : await populateGrpc(server);
  }

  const env = { ...process.env, XDG_CONFIG_HOME: join(sandbox, 'config'), XDG_DATA_HOME: join(sandbox, 'xdg-data'), XDG_STATE_HOME: join(sandbox, 'state'), OPSDECK_DATA_DIR: join(sandbox, 'data'), NO_COLOR: '1', BENCH_NACOS_PASSWORD: server.password };
  delete env.OPSDECK_PROFILE;
  delete env.OPSDECK_CONFIG;
  delete env.NODE_OPTIONS;
  mkdirSync(join(env.XDG_CONFIG_HOME, 'opsdeck'), { recursive: true });
  writeFileSync(join(env.XDG_CONFIG_HOME, 'opsdeck', 'config.yaml'), `profiles:\n  bench:\n    registry: {type: nacos, url: "${server.url}", username: "${server.username}", password: "\${BENCH_NACOS_PASSWORD}"}\n`);

  // Warm-up (and a check that both see every service, each with its instances).
  const rawRows = await rawListing(server);
  const first = await opsdeckListing(env);
  const full = first.services.filter((s) => s.instances === INSTANCES).length;
  console.log(`warm-up: the baseline read ${rawRows} services; opsdeck listed ${first.rows} (complete: ${first.complete}), ${full} of them with ${INSTANCES} instances`);
  if (rawRows < SERVICES || first.rows < SERVICES || full < SERVICES) throw new Error('the listings do not hold every service the bench registered');

  const runs = { raw: [], child: [], opsdeck: [] };
  const measure = { raw: () => rawInProcess(server), child: () => rawChild(server, env), opsdeck: () => opsdeckListing(env) };
  let maxRssKb = first.rssKb;
  const load0 = loadavg()[0];
  for (let round = 1; round <= ROUNDS; round++) {
    // Rotate which goes first, so drift (other load, the server's caches) hits all alike.
    const order = ['raw', 'opsdeck', 'child'];
    for (let k = 0; k < (round - 1) % order.length; k++) order.push(order.shift());
    for (const which of order) {
      const t0 = performance.now();
      const r = await measure[which]();
      runs[which].push({ ms: r.ms ?? performance.now() - t0, cpuMs: r.cpuMs });
      if (which === 'opsdeck') maxRssKb = Math.max(maxRssKb, r.rssKb);
    }
    const last = (w) => `${secs(runs[w].at(-1).ms)} (cpu ${secs(runs[w].at(-1).cpuMs)})`;
    console.log(`round ${round}: baseline ${last('raw')}, baseline process ${last('child')}, opsdeck ${last('opsdeck')}`);
  }
  const med = (w, k) => median(runs[w].map((r) => r[k]));
  const ratio = med('opsdeck', 'ms') / med('raw', 'ms');
  const rssMb = maxRssKb / 1024;
  console.log('');
  console.log(`Nacos ${VERSION}, ${SERVICES} services × ${INSTANCES} instances, page size ${PAGE_SIZE}, ${ROUNDS} rounds (medians; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`);
  console.log(`  baseline: undici, the adapter's pages one by one, in this process   wall ${secs(med('raw', 'ms'))}  cpu ${secs(med('raw', 'cpuMs'))}`);
  console.log(`  the same baseline as a node process of its own                      wall ${secs(med('child', 'ms'))}  cpu ${secs(med('child', 'cpuMs'))}`);
  console.log(`  opsdeck services list -o json (the binary)                          wall ${secs(med('opsdeck', 'ms'))}  cpu ${secs(med('opsdeck', 'cpuMs'))}`);
  console.log(`  wall ratio ${ratio.toFixed(2)}× the baseline (target ≤ ${TARGET_WALL}×: ${ratio <= TARGET_WALL ? 'met' : 'MISSED'}); ${(med('opsdeck', 'ms') / med('child', 'ms')).toFixed(2)}× the baseline process`);
  console.log(`  opsdeck max RSS ${rssMb.toFixed(0)} MB = ${(rssMb / TARGET_RSS_MB).toFixed(2)}× the ${TARGET_RSS_MB} MB target (${rssMb <= TARGET_RSS_MB ? 'met' : 'MISSED'})`);
} finally {
  stop();
}
