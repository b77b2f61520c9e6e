import type { ProbedInstance } from './registry-suite.js';
import type { NacosEndpoint } from '../servers/nacos-server.js';

/**
 * Reads a real Nacos directly over its own HTTP API, with plain fetch and the admin token: the
 * probes of the Nacos conformance files, which must not go through the adapter. Instances come
 * from the console (2.x `/v1/ns/catalog/*`) or admin (3.x `/v3/admin/ns/*`) API, which list
 * disabled instances too (the client list hides them), one cluster at a time.
 */

const v3 = (s: NacosEndpoint) => s.version.startsWith('3.');

async function get(s: NacosEndpoint, token: string, path: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const r = await fetch(`${s.url}${path}?${new URLSearchParams(params).toString()}`, { headers: { accessToken: token }, signal: AbortSignal.timeout(20_000) });
  return { status: r.status, text: await r.text() };
}

interface RawInstance {
  ip: string;
  port: number;
  enabled: boolean;
  weight: number;
  metadata?: Record<string, string> | null;
}

const probed = (i: RawInstance): ProbedInstance => ({ ip: i.ip, port: i.port, enabled: i.enabled, weight: i.weight, metadata: i.metadata ?? {} });

/** Every instance of a service, disabled ones included; [] for a service Nacos does not hold. */
export async function probeInstances(s: NacosEndpoint, token: string, namespace: string, group: string, service: string): Promise<ProbedInstance[]> {
  const id = { serviceName: service, groupName: group, namespaceId: namespace };
  if (v3(s)) {
    const svc = await get(s, token, '/v3/admin/ns/service', id);
    // An unknown service: HTTP 400, code 21008.
    if (svc.status !== 200) return [];
    const clusters = Object.keys((JSON.parse(svc.text) as { data: { clusterMap?: Record<string, unknown> | null } }).data.clusterMap ?? {});
    const out: ProbedInstance[] = [];
    for (const clusterName of clusters) {
      const r = await get(s, token, '/v3/admin/ns/instance/list', { ...id, clusterName });
      if (r.status !== 200) throw new Error(`GET /v3/admin/ns/instance/list answered ${r.status}: ${r.text}`);
      out.push(...(JSON.parse(r.text) as { data: RawInstance[] }).data.map(probed));
    }
    return out;
  }
  const svc = await get(s, token, '/v1/ns/catalog/service', id);
  // An unknown service: HTTP 500 "service G@@x is not found!".
  if (svc.status !== 200) return [];
  const clusters = ((JSON.parse(svc.text) as { clusters?: Array<{ name: string }> }).clusters ?? []).map((c) => c.name);
  const out: ProbedInstance[] = [];
  for (const clusterName of clusters) {
    const r = await get(s, token, '/v1/ns/catalog/instances', { ...id, clusterName, pageNo: '1', pageSize: '1000' });
    if (r.status !== 200) throw new Error(`GET /v1/ns/catalog/instances answered ${r.status}: ${r.text}`);
    out.push(...(JSON.parse(r.text) as { list: RawInstance[] }).list.map(probed));
  }
  return out;
}

/** A config's content as Nacos holds it (2.x detail read `show=all`, 3.x admin read); null when absent. */
export async function probeConfig(s: NacosEndpoint, token: string, namespace: string, group: string, dataId: string): Promise<string | null> {
  if (v3(s)) {
    const r = await get(s, token, '/v3/admin/cs/config', { dataId, groupName: group, namespaceId: namespace });
    if (r.status === 404) return null;
    const body = JSON.parse(r.text) as { code: number; data?: { content?: string } | null };
    // 20004: no such config.
    if (body.code === 20004) return null;
    if (r.status !== 200 || body.code !== 0) throw new Error(`GET /v3/admin/cs/config answered ${r.status}: ${r.text}`);
    return body.data?.content ?? null;
  }
  const r = await get(s, token, '/v1/cs/configs', { dataId, group, tenant: namespace, show: 'all' });
  if (r.status !== 200) throw new Error(`GET /v1/cs/configs answered ${r.status}: ${r.text}`);
  // An absent config: HTTP 200 with an empty body.
  return r.text.trim() === '' ? null : (JSON.parse(r.text) as { content: string }).content;
}
