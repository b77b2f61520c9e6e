import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildJar } from '../interop/support.js';
import { canBind, httpStatus, launchDetached, lostPortRace, pollUntil, shq, startWatchdog, stopDir, writeStopScript } from './detached.js';

/**
 * Real Nacos servers for the tests, standalone with embedded Derby, HTTP on 127.0.0.1, each in its
 * own directory:
 * - 2.3.2 from `test/servers/nacos/2.3.2/` (the JeecgBoot republish of the stock server on Maven
 *   Central, repackaged by Spring Boot; built with `buildJar`);
 * - 2.5.1 and 3.0.3 through the `nacos-peer` script of the shared peers folder, which rebuilds the
 *   upstream server jars (Maven Central lacks the server modules) and caches them in
 *   ~/.cache/opsdeck-peers.
 *
 * A JVM Nacos takes 20-60 s to start and ~500 MB, so test files normally do not call `startNacos`
 * but `sharedNacos` (nacos-shared.ts), which starts each version once per vitest run.
 *
 * Every server directory holds an executable `stop` script, the one way to stop that server: the
 * `stop()` below, the run's teardown and a watchdog all call it (detached.ts), so a run that is
 * killed does not leave JVMs behind.
 */
export type NacosVersion = '2.3.2' | '2.5.1' | '3.0.3';

export const NACOS_VERSIONS: readonly NacosVersion[] = ['2.3.2', '2.5.1', '3.0.3'];

/** How to reach a running server: plain data, so it can be handed between processes as JSON. */
export interface NacosEndpoint {
  version: NacosVersion;
  /** Server base URL including the context path, e.g. `http://127.0.0.1:24848/nacos`. */
  url: string;
  /** 3.x: the separate console (`http://127.0.0.1:C`, no context path); 2.x: the same as `url`. */
  consoleUrl: string;
  port: number;
  /** gRPC port for SDK clients (port + 1000); listens on all interfaces, as Nacos has no bind option for it. */
  grpcPort: number;
  auth: boolean;
  /** The admin user. 2.3.2 has the built-in nacos/nacos; 2.5.1 and 3.x get one created at start. */
  username: string;
  password: string;
  /** Seconds from launching the JVM until the readiness endpoint answered 200. */
  readySeconds: number;
  /** Seconds after readiness until the admin could log in. */
  loginSeconds: number;
  /** Seconds spent making sure the server jar is built (about 1 s when cached). */
  buildSeconds: number;
  pid: number;
  /** The server's directory: data (`home/`), log (`process.log`; 2.5.1 and 3.x: `nacos.log`) and the `stop` script. */
  dir: string;
}

export interface NacosServer extends NacosEndpoint {
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface NacosStartOptions {
  /** Turn on authentication (`nacos.core.auth.enabled`). The admin can always log in. */
  auth: boolean;
  /** An empty directory for the server (created if missing); default: a new temp dir. */
  dir?: string;
  /** The process whose exit stops the server (watchdog); default: this process. */
  ownerPid?: number;
  /** Make sure the jar is built; default true. `sharedNacos` builds under a lock and passes false. */
  build?: boolean;
}

const REPO_ROOT = resolve(__dirname, '../..');
const MODULE_232 = join(__dirname, 'nacos/2.3.2');
const JAR_232 = join(MODULE_232, 'target/nacos-server-2.3.2.jar');
// The peers' defaults: small heap, one GC thread, no C2 compiler. Start-up on 2 cores is what counts.
const JVM_OPTS = ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];
const START_TIMEOUT_MS = 180_000;
const LOGIN_TIMEOUT_MS = 90_000;

/**
 * The folder with `nacos-peer` (2.5.1 and 3.0.3): $OPSDECK_NACOS_PEERS, else `<repo>/../shared/peers/nacos`,
 * else `/work/shared/peers/nacos`. Missing is an error that names every place looked at: the tests
 * never skip.
 */
export function nacosPeersDir(): string {
  const env = process.env.OPSDECK_NACOS_PEERS;
  const candidates = env ? [env] : [join(REPO_ROOT, '../shared/peers/nacos'), '/work/shared/peers/nacos'];
  for (const c of candidates) if (existsSync(join(c, 'nacos-peer'))) return c;
  throw new Error(
    `the Nacos test peers (2.5.1, 3.0.3) were not found: no nacos-peer in ${candidates.join(' or ')}` +
      (env ? ' (from OPSDECK_NACOS_PEERS)' : '') +
      '; set OPSDECK_NACOS_PEERS to the folder holding nacos-peer (the shared peers/nacos folder)',
  );
}

/** Builds (or finds cached) the server jar of a version; returns the seconds it took. */
export async function buildNacos(version: NacosVersion): Promise<number> {
  const t0 = Date.now();
  if (version === '2.3.2') buildJar(MODULE_232, JAR_232);
  else await run(join(nacosPeersDir(), 'nacos-peer'), ['build', version], 900_000);
  const seconds = (Date.now() - t0) / 1000;
  process.stderr.write(`nacos ${version}: server jar ready after ${seconds.toFixed(1)} s (built, or found up to date)\n`);
  return seconds;
}

/** Starts a server and waits until it is ready and (always) until the admin can log in. */
export async function startNacos(version: NacosVersion, opts: NacosStartOptions): Promise<NacosServer> {
  const buildSeconds = opts.build === false ? 0 : await buildNacos(version);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `opsdeck-nacos-${version}-`));
  mkdirSync(dir, { recursive: true });
  const ownerPid = opts.ownerPid ?? process.pid;
  let endpoint: NacosEndpoint;
  try {
    const started = version === '2.3.2' ? await start232(dir, opts.auth, ownerPid) : await startPeer(version, dir, opts.auth, ownerPid);
    endpoint = { ...started, buildSeconds };
  } catch (e) {
    await stopNacosDir(dir);
    throw e;
  }
  process.stderr.write(
    `nacos ${version}: ready ${endpoint.readySeconds.toFixed(1)} s after launch, admin login ${endpoint.loginSeconds.toFixed(1)} s later ` +
      `(auth ${endpoint.auth ? 'on' : 'off'}) at ${endpoint.url}\n`,
  );
  return { ...endpoint, stop: () => stopNacosDir(dir) };
}

/** Runs the server directory's `stop` script (if the start got that far) and removes the directory. */
export function stopNacosDir(dir: string): Promise<void> {
  return stopDir(dir, 'nacos');
}

type Started = Omit<NacosEndpoint, 'buildSeconds'>;

async function start232(dir: string, auth: boolean, ownerPid: number): Promise<Started> {
  const home = join(dir, 'home');
  // Throwaway secrets per start: the token signing key (Base64 of 32 random bytes) and the identity
  // pair that 2.x requires with auth on.
  const secret = randomBytesBase64(32);
  const identity = randomBytesBase64(12).replace(/[^A-Za-z0-9]/g, 'x');
  for (let attempt = 1; ; attempt++) {
    const port = await freeNacosPort();
    const args = [
      ...JVM_OPTS,
      '-Dnacos.standalone=true',
      `-Dnacos.home=${home}`,
      // The embedded client's logs and snapshots default to ~/logs and ~/nacos: keep them here.
      `-Dnacos.logs.path=${join(home, 'logs')}`,
      `-DJM.LOG.PATH=${join(home, 'logs')}`,
      `-DJM.SNAPSHOT.PATH=${home}`,
      // Embedded Derby's 3 s connection timeout fails on a loaded 2-core machine (seen by the peers).
      '-Ddb.pool.config.connectionTimeout=30000',
      '-jar',
      JAR_232,
      `--server.port=${port}`,
      '--server.address=127.0.0.1',
      '--nacos.inetutils.ip-address=127.0.0.1',
      `--nacos.core.auth.enabled=${auth}`,
      `--nacos.core.auth.plugin.nacos.token.secret.key=${secret}`,
      '--nacos.core.auth.server.identity.key=opsdeck-test',
      `--nacos.core.auth.server.identity.value=${identity}`,
    ];
    // The working directory is `dir`, where Derby's derby.log, Tomcat's work/ and logs/ land. The
    // marker is the home property: only the server started for this directory has it.
    const proc = launchDetached({ label: 'Nacos 2.3.2', dir, cmd: 'java', args, marker: `-Dnacos.home=${home} `, ownerPid });
    const t0 = Date.now();
    const url = `http://127.0.0.1:${port}/nacos`;
    const ready = await pollUntil(START_TIMEOUT_MS, proc.exited, async () => (await httpStatus(`${url}/v1/console/health/readiness`)) === 200);
    if (!ready) {
      const tail = proc.logTail();
      if (proc.exited() && lostPortRace(tail) && attempt < 3) continue;
      throw new Error(`Nacos 2.3.2 ${proc.exited() ? 'exited' : `was not ready within ${START_TIMEOUT_MS / 1000} s`}; the end of its log:\n${tail}`);
    }
    const readySeconds = (Date.now() - t0) / 1000;
    // The built-in admin of 2.3.2 (2.4 and later have none until one is created).
    const username = 'nacos';
    const password = 'nacos';
    const t1 = Date.now();
    const loggedIn = await pollUntil(LOGIN_TIMEOUT_MS, proc.exited, async () => (await tryLogin(url, username, password)) !== null);
    if (!loggedIn) throw new Error(`Nacos 2.3.2 at ${url}: the admin could not log in within ${LOGIN_TIMEOUT_MS / 1000} s; the end of its log:\n${proc.logTail()}`);
    return { version: '2.3.2', url, consoleUrl: url, port, grpcPort: port + 1000, auth, username, password, readySeconds, loginSeconds: (Date.now() - t1) / 1000, pid: proc.pid, dir };
  }
}

async function startPeer(version: NacosVersion, dir: string, auth: boolean, ownerPid: number): Promise<Started> {
  const peer = join(nacosPeersDir(), 'nacos-peer');
  // A password of our own rather than the default, so nothing here works only with nacos/nacos.
  const password = `pw${randomBytesBase64(12).replace(/[^A-Za-z0-9]/g, '')}`;
  const args = ['start', version, dir, auth ? '--auth' : '--admin'];
  // --admin on the auth-off server too: 3.x wants a token for its admin and console APIs anyway.
  await run(peer, args, 400_000, { NACOS_ADMIN_PASSWORD: password }, (starter) => {
    writeStopScript(dir, `Nacos ${version}`, [
      // A `nacos-peer start` still waiting (its caller died) would poll on until its own timeouts.
      `starter=${starter}`,
      `if kill -0 "$starter" 2>/dev/null && tr '\\0' ' ' < "/proc/$starter/cmdline" 2>/dev/null | grep -qF -- ${shq(`${peer} ${args.join(' ')}`)}; then kill -TERM "$starter"; fi`,
      // nacos-peer records the server's pid in peer.env as it launches it, so this works from then on.
      `[ -f ${shq(join(dir, 'peer.env'))} ] || exit 0`,
      `exec ${shq(peer)} stop ${shq(dir)}`,
    ]);
    startWatchdog(dir, ownerPid);
  });
  const env = parseEnvFile(join(dir, 'peer.env'));
  const need = (k: string) => {
    const v = env[k];
    if (v === undefined || v === '') throw new Error(`nacos-peer wrote no ${k} to ${join(dir, 'peer.env')}`);
    return v;
  };
  if (need('NACOS_PASSWORD') !== password) throw new Error(`nacos-peer reported another admin password than the one it was given (${join(dir, 'peer.env')})`);
  return {
    version,
    url: need('NACOS_URL'),
    consoleUrl: need('NACOS_CONSOLE_URL'),
    port: Number(need('NACOS_PORT')),
    grpcPort: Number(need('NACOS_GRPC_PORT')),
    auth,
    username: need('NACOS_USERNAME'),
    password,
    readySeconds: Number(need('NACOS_READY_SECONDS')),
    loginSeconds: Number(need('NACOS_LOGIN_READY_SECONDS')),
    pid: Number(need('NACOS_PID')),
    dir,
  };
}

/** peer.env: `KEY=value` lines written with bash's `%q`; the values used here are plain words. */
function parseEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  }
  return out;
}

/**
 * A server port P in 21000-29999 (below Linux's ephemeral range, so no kernel-chosen port takes it
 * meanwhile) with P-1000 (JRaft), P+1000 and P+1001 (gRPC) free too, checked on all interfaces as
 * Nacos binds those there.
 */
async function freeNacosPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 21000 + Math.floor(Math.random() * 9000);
    if ((await Promise.all([p - 1000, p, p + 1000, p + 1001].map((q) => canBind(q)))).every(Boolean)) return p;
  }
  throw new Error('no free ports for Nacos (P-1000, P, P+1000, P+1001) in 21000-29999');
}

/** POST /v1/auth/login (every version here has it); the access token, or null. */
export async function tryLogin(url: string, username: string, password: string): Promise<string | null> {
  try {
    const r = await fetch(`${url}/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username, password }), signal: AbortSignal.timeout(10_000) });
    const text = await r.text();
    if (r.status !== 200) return null;
    const token = (JSON.parse(text) as { accessToken?: unknown }).accessToken;
    return typeof token === 'string' && token !== '' ? token : null;
  } catch {
    return null;
  }
}

function run(cmd: string, args: string[], timeout: number, env: Record<string, string> = {}, onSpawn?: (pid: number) => void): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = execFile(cmd, args, { timeout, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${[cmd, ...args].join(' ')} failed: ${err.message}\n${stderr.slice(-6000)}`));
      else resolveRun(stdout);
    });
    if (child.pid !== undefined) onSpawn?.(child.pid);
  });
}

function randomBytesBase64(n: number): string {
  return randomBytes(n).toString('base64');
}
