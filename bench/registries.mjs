// `services list` across three registries at once against each registry alone, in the same run.
//
// Three registries hold 10,000 services in total (BENCH_SERVICES to change), one instance each:
//   embedded — the embedded store (real), filled through `opsdeck -f` with `instances register` lines;
//   eureka   — a real Spring Cloud Netflix Eureka server (the jar of test/servers/eureka, built by the
//              tests or here with Maven), filled over its REST API with hour-long leases;
//   consul   — the Consul fake of test/servers/consul-fake.ts (no Consul can run here), filled
//              through its catalog API; opsdeck reads one health answer per service from it.
// Each round runs the binary `opsdeck services list -o json` on four profiles, in an order that
// rotates per round: each registry alone, then all three. It prints the medians and two ratios:
//   all / slowest alone  — the target: at most 1.2 (the registries are read at once, so the listing
//                          costs about what the slowest one costs);
//   all / sum of alone   — about 1 would mean one after another; well below 1 shows concurrency.
// It only prints; nothing here asserts. Run: node bench/registries.mjs  (BENCH_ROUNDS=5 BENCH_SERVICES=10000)
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './load-source.mjs';

const TARGET = 1.2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TOTAL = Number(process.env.BENCH_SERVICES ?? 10_000);
const BIN = join(ROOT, 'bin/opsdeck.js');
const EUREKA_MODULE = join(ROOT, 'test/servers/eureka');
const EUREKA_JAR = join(EUREKA_MODULE, 'target/eureka-server.jar');

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

/** Runs the binary; resolves with its exit code, stdout and wall time in ms. */
function opsdeck(env, args) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

/** fetch, tried again on a dropped connection (a kept-alive socket the server closed meanwhile). */
async function fetchRetrying(url, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Runs `fn` over the items, `limit` at a time. */
async function eachLimited(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function startEureka() {
  if (!existsSync(EUREKA_JAR)) {
    console.log('building the Eureka server jar (test/servers/eureka) with Maven…');
    execFileSync('mvn', ['-q', '-B', '-f', join(EUREKA_MODULE, 'pom.xml'), 'package', '-DskipTests'], { stdio: 'inherit' });
  }
  const port = await freePort();
  const child = spawn('java', ['-Xmx512m', '-jar', EUREKA_JAR, `--server.port=${port}`, '--server.address=127.0.0.1', '--spring.main.banner-mode=off', '--spring.jmx.enabled=false',
    '--eureka.instance.hostname=127.0.0.1', '--eureka.client.register-with-eureka=false', '--eureka.client.fetch-registry=false',
    `--eureka.client.service-url.defaultZone=http://127.0.0.1:${port}/eureka/`, '--eureka.server.use-read-only-response-cache=false',
    '--eureka.server.enable-self-preservation=false'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/eureka`;
  // A loaded machine makes the JVM slow to start: generous, and the server is stopped when it gives up.
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Eureka server exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the Eureka server did not answer within 10 minutes');
    }
    try {
      if ((await fetch(`${url}/apps`, { headers: { accept: 'application/json' } })).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

async function fillEureka(url, names) {
  await eachLimited(names, 16, async (name) => {
    const app = name.toUpperCase();
    const instance = {
      instanceId: `${name}-1`, hostName: '127.0.0.1', app, ipAddr: '127.0.0.1', status: 'UP',
      port: { $: 8080, '@enabled': 'true' },
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 3600 },
    };
    const r = await fetchRetrying(`${url}/apps/${app}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instance }) });
    if (r.status !== 204) throw new Error(`Eureka refused ${app}: ${r.status}`);
  });
}

async function startConsul(dir) {
  const outfile = join(dir, 'consul-fake.mjs');
  await build({ entryPoints: [join(ROOT, 'test/servers/consul-fake.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
  const { startConsulFake } = await import(pathToFileURL(outfile).href);
  return startConsulFake();
}

// An external node (not an agent's own): anti-entropy leaves its catalog entries alone, as Consul does.
async function fillConsul(fake, names) {
  await eachLimited(names, 16, async (name) => {
    const body = { Node: 'bench-external', Address: '127.0.0.1', Service: { ID: `${name}-1`, Service: name, Address: '127.0.0.1', Port: 8080 } };
    const r = await fetchRetrying(`${fake.url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`the Consul fake refused ${name}: ${r.status} ${await r.text()}`);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-registries-'));
  const env = { ...process.env, OPSDECK_DATA_DIR: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), NO_COLOR: '1' };
  delete env.OPSDECK_PROFILE;
  delete env.OPSDECK_CONFIG;
  let eureka = null;
  let consul = null;
  try {
    const per = Math.floor(TOTAL / 3);
    const counts = { embedded: TOTAL - 2 * per, eureka: per, consul: per };
    const names = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
    console.log(`services list across three registries, ${TOTAL} services in total (${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}), ${ROUNDS} rounds`);

    let t0 = Date.now();
    [eureka, consul] = await Promise.all([startEureka(), startConsul(dir)]);
    console.log(`servers up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
    const script = join(dir, 'fill.ops');
    writeFileSync(script, names('emb', counts.embedded).map((n) => `instances register ${n} 127.0.0.1:8080`).join('\n') + '\n');
    mkdirSync(join(dir, 'config', 'opsdeck'), { recursive: true });
    const eurekaEntry = `{type: eureka, url: "${eureka.url}", selfPreservation: false}`;
    // The fake answers in the bench's own process, on a machine other work may share: each request
    // gets a minute rather than Consul's default 10 s.
    const consulEntry = `{type: consul, url: "${consul.url}", maxServices: ${TOTAL}, concurrency: 16, timeoutMs: 60000}`;
    writeFileSync(join(dir, 'config', 'opsdeck', 'config.yaml'), [
      'profiles:',
      '  embedded:',
      '    registry: {type: embedded}',
      '  eureka:',
      `    registry: ${eurekaEntry}`,
      '  consul:',
      `    registry: ${consulEntry}`,
      '  all:',
      `    registry: [{type: embedded}, ${eurekaEntry}, ${consulEntry}]`,
      '',
    ].join('\n'));
    const timed = async (what, p) => {
      const t = Date.now();
      const r = await p;
      console.log(`  ${what} filled in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      return r;
    };
    const [filled] = await Promise.all([
      timed('embedded', opsdeck(env, ['--profile', 'embedded', '-f', script])),
      timed('eureka', fillEureka(eureka.url, names('eur', counts.eureka))),
      timed('consul', fillConsul(consul, names('con', counts.consul))),
    ]);
    if (filled.code !== 0) throw new Error(`filling the embedded registry failed: ${filled.err}`);

    const profiles = ['embedded', 'eureka', 'consul', 'all'];
    const times = Object.fromEntries(profiles.map((p) => [p, []]));
    // One warm-up run each (JIT, the servers' caches), not counted.
    for (const p of profiles) await opsdeck(env, ['--profile', p, 'services', 'list', '-o', 'json']);
    for (let round = 0; round < ROUNDS; round++) {
      const order = profiles.map((_, i) => profiles[(i + round) % profiles.length]);
      for (const p of order) {
        consul.requests.length = 0;
        const r = await opsdeck(env, ['--profile', p, 'services', 'list', '-o', 'json']);
        if (r.code !== 0) throw new Error(`services list on ${p} exited ${r.code}: ${r.err}`);
        const listing = JSON.parse(r.out);
        const expected = p === 'all' ? TOTAL : counts[p];
        // Consul lists its own "consul" service besides ours.
        const ours = listing.services.filter((s) => /^(emb|eur|con)-\d+$/i.test(s.name)).length;
        if (ours !== expected || !listing.complete) throw new Error(`services list on ${p} gave ${ours} of our services (complete: ${listing.complete}), expected ${expected}`);
        times[p].push(r.ms);
      }
    }
    const med = Object.fromEntries(profiles.map((p) => [p, median(times[p])]));
    for (const p of profiles) console.log(`  ${p.padEnd(9)} median ${med[p].toFixed(0).padStart(6)} ms   (${times[p].map((t) => t.toFixed(0)).join(', ')})`);
    const singles = ['embedded', 'eureka', 'consul'];
    const slowest = singles.reduce((a, b) => (med[a] >= med[b] ? a : b));
    const sum = singles.reduce((s, p) => s + med[p], 0);
    const ratio = med.all / med[slowest];
    console.log(`all three / slowest alone (${slowest}): ${ratio.toFixed(2)}x   target <= ${TARGET}x   ${ratio <= TARGET ? 'OK' : 'OVER'}`);
    console.log(`all three / sum of the three alone: ${(med.all / sum).toFixed(2)}x   (about 1 would mean one registry after another)`);
  } finally {
    eureka?.stop();
    await consul?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
