import { OpsError } from '../../core/errors.js';
import type { HttpClient, HttpReply } from '../kit/http.js';
import { isObject } from '../kit/shape.js';
import type { NacosApiChoice } from './options.js';
import { rejectHtml } from './replies.js';

/**
 * The API family opsdeck speaks: `v3` is the 3.x admin API; `v2` and `v1` both use the v1
 * console and client endpoints every 1.x and 2.x server has (the v2 OpenAPI of 2.2+ has no
 * console listing that shows disabled instances, no listener query and no beta query), and differ
 * only in what the server is known to be.
 */
export type ApiLevel = 'v1' | 'v2' | 'v3';

export interface ServerFacts {
  level: ApiLevel;
  /** The server's own version word ("2.3.2"), null where the server did not say. */
  version: string | null;
}

/**
 * Probes once: the 3.x admin state (`/v3/admin/core/state`: 200 on 3.x, 404 on 2.x), then the
 * 1.x/2.x state (`/v1/console/server/state`, whose `version` tells 2.2+ with the v2 OpenAPI
 * from older servers). Neither needs a token. A pinned `apiVersion` skips the probing but still
 * reads the version where the server gives it (compare-and-set depends on it).
 */
export async function probeServer(http: HttpClient, choice: NacosApiChoice): Promise<ServerFacts> {
  if (choice === 'v3') return { level: 'v3', version: await v3Version(http) };
  if (choice === 'v1' || choice === 'v2') return { level: choice, version: (await legacyVersion(http)).version };
  const v3 = await http.request({ path: '/v3/admin/core/state' });
  if (v3.status !== 404) {
    rejectHtml(http, v3);
    if (v3.status < 500) return { level: 'v3', version: v3.status === 200 ? versionIn(http, v3, true) : null };
  }
  const legacy = await legacyVersion(http);
  if (legacy.gone) return { level: 'v3', version: null };
  if (!legacy.found && v3.status === 404) {
    throw new OpsError('config', `${http.where} does not answer as Nacos: /v3/admin/core/state and /v1/console/server/state are both HTTP 404`, 'the url must include the context path, usually /nacos (http://host:8848/nacos)');
  }
  if (legacy.version !== null) return { level: atLeast(legacy.version, [2, 2]) ? 'v2' : 'v1', version: legacy.version };
  // A server that hides its version: the v2 OpenAPI answers its liveness check from 2.2 on.
  const live = await http.request({ path: '/v2/console/health/liveness' });
  return { level: live.status === 200 ? 'v2' : 'v1', version: null };
}

/** Whether a version word is at least `min` (major, minor, patch); false for words that are not versions. */
export function atLeast(version: string, min: readonly number[]): boolean {
  const parts = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts) return false;
  const have = [Number(parts[1]), Number(parts[2]), Number(parts[3] ?? 0)];
  for (let i = 0; i < 3; i++) {
    const want = min[i] ?? 0;
    if (have[i]! !== want) return have[i]! > want;
  }
  return true;
}

async function v3Version(http: HttpClient): Promise<string | null> {
  const r = await http.request({ path: '/v3/admin/core/state' });
  if (r.status === 404) throw new OpsError('config', `${http.where} has no Nacos 3.x admin API (/v3/admin/core/state is HTTP 404), but the profile pins apiVersion: v3`, 'remove apiVersion to let opsdeck probe, or pin v2 for a 2.x server');
  rejectHtml(http, r);
  return r.status === 200 ? versionIn(http, r, true) : null;
}

async function legacyVersion(http: HttpClient): Promise<{ found: boolean; gone: boolean; version: string | null }> {
  const r = await http.request({ path: '/v1/console/server/state' });
  if (r.status === 410) return { found: true, gone: true, version: null };
  if (r.status !== 200) return { found: r.status !== 404, gone: false, version: null };
  rejectHtml(http, r);
  return { found: true, gone: false, version: versionIn(http, r, false) };
}

/** `version` of a state answer: flat on 1.x/2.x, inside the envelope's `data` on 3.x. */
function versionIn(http: HttpClient, reply: HttpReply, enveloped: boolean): string | null {
  const body = http.json(reply);
  const state = enveloped && isObject(body) ? body.data : body;
  return isObject(state) && typeof state.version === 'string' && state.version !== '' ? state.version : null;
}
