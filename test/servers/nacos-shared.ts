import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { buildNacos, startNacos, tryLogin, type NacosEndpoint, type NacosVersion } from './nacos-server.js';

/**
 * One Nacos server per version (and auth setting) for a whole vitest run, shared by every test file
 * and worker process: a JVM Nacos costs 20-60 s and ~500 MB, too much to start per file.
 *
 * The run directory comes from the globalSetup in nacos-run.ts. The first process to ask for a
 * server claims it (an atomic mkdir of `<key>.claim`), builds the jar under a run-wide Maven lock
 * (two Maven builds at once on 2 cores only slow each other, and share ~/.m2), starts it, and
 * publishes its connection facts as `<key>.json` (or the failure as `<key>.error`, so the others
 * fail at once with the same message instead of starting it again). The others wait for one of the
 * two files. The run's teardown stops the servers.
 *
 * Tests share the server, not its data: each test file creates its own namespace (`nacosNamespace`)
 * with a unique id, so no test sees another's services or configs, nor what an earlier run left.
 */
const memo = new Map<string, Promise<NacosEndpoint>>();

// Generous: a cold start may build jars from an empty Maven cache (1-2 min each) before starting.
const WAIT_MS = 20 * 60_000;

export function sharedNacos(version: NacosVersion, opts: { auth: boolean } = { auth: true }): Promise<NacosEndpoint> {
  const key = `${version}-${opts.auth ? 'auth' : 'open'}`;
  let p = memo.get(key);
  if (!p) {
    p = obtain(key, version, opts.auth);
    memo.set(key, p);
  }
  return p;
}

async function obtain(key: string, version: NacosVersion, auth: boolean): Promise<NacosEndpoint> {
  const run = inject('nacosRun');
  if (!run?.dir) throw new Error('sharedNacos needs the vitest globalSetup test/servers/nacos-run.ts (see vitest.config.ts); run the tests through that config');
  const facts = join(run.dir, `${key}.json`);
  const failure = join(run.dir, `${key}.error`);
  const claim = join(run.dir, `${key}.claim`);
  if (tryMkdir(claim)) {
    writeFileSync(join(claim, 'pid'), String(process.pid));
    try {
      const buildSeconds = await withDirLock(join(run.dir, 'maven.lock'), () => buildNacos(version));
      const server = await startNacos(version, { auth, dir: join(run.dir, key), ownerPid: run.ownerPid, build: false });
      const { stop: _stop, ...endpoint } = server;
      const result: NacosEndpoint = { ...endpoint, buildSeconds };
      writeAtomic(facts, JSON.stringify(result));
      return result;
    } catch (e) {
      writeAtomic(failure, (e as Error).message);
      throw e;
    }
  }
  const until = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(facts)) return JSON.parse(readFileSync(facts, 'utf8')) as NacosEndpoint;
    if (existsSync(failure)) throw new Error(`Nacos ${version} (started by another test process) failed: ${readFileSync(failure, 'utf8')}`);
    const owner = readPid(join(claim, 'pid'));
    if (owner !== null && !alive(owner) && !existsSync(facts) && !existsSync(failure)) {
      throw new Error(`the test process (pid ${owner}) that was starting Nacos ${version} ended before the server was ready`);
    }
    if (Date.now() > until) throw new Error(`Nacos ${version} was not ready within ${WAIT_MS / 60_000} min (another test process is starting it; see ${run.dir})`);
    await sleep(500);
  }
}

/** Logs in as the server's admin; the access token. */
export async function nacosToken(s: NacosEndpoint): Promise<string> {
  const token = await tryLogin(s.url, s.username, s.password);
  if (token === null) throw new Error(`could not log in to Nacos ${s.version} at ${s.url} as ${s.username}`);
  return token;
}

/**
 * Creates a namespace with a unique id (`t-<label>-<random>`) and returns the id. 2.x: the v1
 * console API; 3.x: the v3 admin API (the v1 one answers 410 there).
 */
export async function nacosNamespace(s: NacosEndpoint, token: string, label: string): Promise<string> {
  const id = `t-${label.replace(/[^A-Za-z0-9-]/g, '-')}-${randomBytes(4).toString('hex')}`;
  const v3 = s.version.startsWith('3.');
  const url = v3 ? `${s.url}/v3/admin/core/namespace` : `${s.url}/v1/console/namespaces`;
  const form: Record<string, string> = { [v3 ? 'namespaceId' : 'customNamespaceId']: id, namespaceName: id, namespaceDesc: `opsdeck test ${label}` };
  const r = await fetch(url, { method: 'POST', headers: { accessToken: token }, body: new URLSearchParams(form) });
  const text = await r.text();
  // 2.x answers `true` (a duplicate id: `false`); 3.x `{"code":0,...,"data":true}`.
  const ok = r.status === 200 && (v3 ? (JSON.parse(text) as { data?: unknown }).data === true : text.trim() === 'true');
  if (!ok) throw new Error(`creating namespace ${id} on Nacos ${s.version} failed: HTTP ${r.status} ${text.slice(0, 300)}`);
  return id;
}

function tryMkdir(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** A lock held while `fn` runs: a directory with the holder's pid; taken over when that process died. */
async function withDirLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    if (tryMkdir(lock)) break;
    const owner = readPid(join(lock, 'pid'));
    if (owner !== null && !alive(owner)) rmSync(lock, { recursive: true, force: true });
    else await sleep(500);
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

function readPid(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8'));
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
