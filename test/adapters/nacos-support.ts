import { expect } from 'vitest';
import { connect, nacosAdapter, type NacosAdapter } from '../../src/adapters/nacos/index.js';
import { NacosHttp } from '../../src/adapters/nacos/nacos-http.js';
import { parseNacosOptions } from '../../src/adapters/nacos/options.js';
import { OpsError } from '../../src/core/errors.js';
import type { NacosEndpoint } from '../servers/nacos-server.js';

/** Helpers of the Nacos adapter tests, which run against the real shared servers (nacos-shared.ts). */

const open: NacosAdapter[] = [];

/** An adapter on the server (or on `url`, a proxy in front of it), logged in as its admin. */
export async function adapterFor(s: NacosEndpoint, extra: Record<string, unknown> = {}): Promise<NacosAdapter> {
  const a = await connect({ url: s.url, username: s.username, password: s.password, ...extra }, { dataDir: '/nonexistent', version: 'test', name: 'nacos-test' });
  open.push(a);
  return a;
}

/** An adapter whose token clock the test drives. */
export function adapterWithClock(s: NacosEndpoint, now: () => number, extra: Record<string, unknown> = {}): { adapter: NacosAdapter; http: NacosHttp } {
  const http = new NacosHttp(parseNacosOptions({ url: s.url, username: s.username, password: s.password, ...extra }, 'nacos-test'), now);
  const adapter = nacosAdapter(http);
  open.push(adapter);
  return { adapter, http };
}

export async function closeAdapters(): Promise<void> {
  await Promise.all(open.splice(0).map((a) => a.dispose()));
}

/** The OpsError a promise rejects with (fails the test if it resolves or throws something else). */
export async function failure(p: Promise<unknown>): Promise<OpsError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OpsError);
  return e as OpsError;
}

export const isV3 = (s: NacosEndpoint) => s.version.startsWith('3.');

/** A raw request with the admin token, for reading the server directly (no opsdeck code). */
export async function raw(s: NacosEndpoint, token: string, method: string, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const qs = new URLSearchParams(params).toString();
  const withBody = method === 'POST' || method === 'PUT';
  const r = await fetch(withBody || qs === '' ? `${s.url}${path}` : `${s.url}${path}?${qs}`, { method, headers: { accessToken: token, ...headers }, body: withBody ? new URLSearchParams(params) : undefined, signal: AbortSignal.timeout(40_000) });
  return { status: r.status, text: await r.text() };
}

/**
 * A config's content as the server holds it, read without opsdeck: 2.x's detail (`show=all`),
 * 3.x's admin read; null when absent.
 */
export async function rawConfig(s: NacosEndpoint, token: string, namespace: string, group: string, dataId: string): Promise<string | null> {
  if (isV3(s)) {
    const r = await raw(s, token, 'GET', '/v3/admin/cs/config', { dataId, groupName: group, namespaceId: namespace });
    if (r.status === 404) return null;
    const data = (JSON.parse(r.text) as { data?: { content?: string } }).data;
    return data?.content ?? null;
  }
  const r = await raw(s, token, 'GET', '/v1/cs/configs', { dataId, group, tenant: namespace, show: 'all' });
  return r.text.trim() === '' ? null : (JSON.parse(r.text) as { content: string }).content;
}

/** Retries `f` until `ok` holds (Nacos applies some writes a moment later); the last value. */
export async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}
