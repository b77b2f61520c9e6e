import { randomBytes } from 'node:crypto';
import { buildNacos, startNacos, tryLogin, type NacosEndpoint, type NacosVersion } from './nacos-server.js';
import { sharedServer, withMavenLock } from './shared-server.js';

/**
 * One Nacos server per version (and auth setting) for a whole vitest run, shared by every test file
 * and worker process (`sharedServer`, shared-server.ts): a JVM Nacos costs 20-60 s and ~500 MB, too
 * much to start per file. The jar is built under the run-wide Maven lock.
 *
 * Tests share the server, not its data: each test file creates its own namespace (`nacosNamespace`)
 * with a unique id, so no test sees another's services or configs, nor what an earlier run left.
 */
export function sharedNacos(version: NacosVersion, opts: { auth: boolean } = { auth: true }): Promise<NacosEndpoint> {
  return sharedServer(`nacos-${version}-${opts.auth ? 'auth' : 'open'}`, `Nacos ${version}`, async ({ dir, ownerPid }) => {
    const buildSeconds = await withMavenLock(() => buildNacos(version));
    const { stop: _stop, ...endpoint } = await startNacos(version, { auth: opts.auth, dir, ownerPid, build: false });
    return { ...endpoint, buildSeconds };
  });
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
