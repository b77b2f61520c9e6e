import type { AnswerShape } from '../kit/shape.js';

/**
 * Eureka's JSON, read field by field through `AnswerShape`, with every quirk a real server (or an
 * old one) sends accepted and nothing else: a wrong shape is a 'bad-answer' (exit 3) naming the
 * server and the JSON path, never a crash or a listing that is silently empty.
 *
 * Quirks (docs/dev/eureka-facts.md §2): `port` is `{"$": 8080, "@enabled": "true"}` (`$` a number,
 * or text in the old 1.x codec; `@enabled` text or a boolean); empty metadata is
 * `{"@class": "java.util.Collections$EmptyMap"}`; an instance's `lastUpdatedTimestamp` and
 * `lastDirtyTimestamp` are text (numbers in compact mode), the lease times numbers; the 1.x codec
 * writes a one-element list as the element itself (an `instance` or `application` object); JSON
 * spells `overriddenStatus`, the XML-derived 1.x codec `overriddenstatus`.
 */

type Obj = Record<string, unknown>;

export interface EurekaLease {
  renewalIntervalInSecs: number;
  durationInSecs: number;
  registrationTimestamp: number;
  /** Eureka stores the renewal time plus the lease duration here once the instance has renewed (facts §4). */
  lastRenewalTimestamp: number;
  evictionTimestamp: number;
  serviceUpTimestamp: number;
}

export interface EurekaInstance {
  /** What the REST paths address it by: `instanceId`, or `hostName` for an instance registered without one. */
  id: string;
  app: string;
  hostName: string;
  ipAddr: string;
  status: string;
  /** `UNKNOWN` (or absent, in compact mode) when there is no override. */
  overriddenStatus: string | null;
  port: EurekaPort | null;
  securePort: EurekaPort | null;
  metadata: Record<string, string>;
  /** Absent in compact mode. */
  lease: EurekaLease | null;
  homePageUrl: string | null;
  statusPageUrl: string | null;
  healthCheckUrl: string | null;
  secureHealthCheckUrl: string | null;
  /** `dataCenterInfo.metadata['availability-zone']` on AWS. */
  availabilityZone: string | null;
  lastDirtyTimestamp: number | null;
  /** The instance as the server sent it, for a re-registration that must keep every field opsdeck does not read. */
  raw: Obj;
}

export interface EurekaPort {
  port: number;
  enabled: boolean;
}

export interface EurekaApplication {
  name: string;
  instances: EurekaInstance[];
}

function at(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** A list, or the one element the 1.x codec wrote in its place; absent or null is an empty list. */
export function oneOrMany(s: AnswerShape, v: unknown, path: string): Array<{ v: unknown; path: string }> {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((item, i) => ({ v: item, path: `${path}[${i}]` }));
  return [{ v: s.object(v, path), path }];
}

/** A whole number sent as a number or as decimal text (Eureka's timestamps, the 1.x codec's ports). */
export function wholeNumber(s: AnswerShape, o: Obj, key: string, parent: string): number {
  const v = o[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d{1,16}$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw s.fail(at(parent, key), 'a whole number', v);
  return n;
}

function optWholeNumber(s: AnswerShape, o: Obj, key: string, parent: string): number | null {
  return o[key] === undefined || o[key] === null ? null : wholeNumber(s, o, key, parent);
}

function optText(s: AnswerShape, o: Obj, key: string, parent: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  return s.str(o, key, parent);
}

/** `{"$": 8080, "@enabled": "true"}`, a bare number (enabled), or absent. */
function readPort(s: AnswerShape, o: Obj, key: string, parent: string): EurekaPort | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  const path = at(parent, key);
  if (typeof v === 'number' || typeof v === 'string') return { port: wholeNumber(s, o, key, parent), enabled: true };
  const p = s.object(v, path);
  const enabled = p['@enabled'];
  if (enabled !== undefined && enabled !== true && enabled !== false && enabled !== 'true' && enabled !== 'false') throw s.fail(at(path, '@enabled'), 'true or false', enabled);
  return { port: wholeNumber(s, p, '$', path), enabled: enabled !== false && enabled !== 'false' };
}

/** Metadata as text values, without the `@class` marker of an empty Java map. */
export function readMetadata(s: AnswerShape, v: unknown, path: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  const o = s.object(v, path);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === '@class' || x === null) continue;
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw s.fail(at(path, k), 'text', x);
  }
  return out;
}

function readLease(s: AnswerShape, v: unknown, path: string): EurekaLease | null {
  if (v === undefined || v === null) return null;
  const o = s.object(v, path);
  const n = (key: string) => wholeNumber(s, o, key, path);
  const opt = (key: string) => optWholeNumber(s, o, key, path) ?? 0;
  return {
    renewalIntervalInSecs: n('renewalIntervalInSecs'),
    durationInSecs: n('durationInSecs'),
    registrationTimestamp: opt('registrationTimestamp'),
    lastRenewalTimestamp: opt('lastRenewalTimestamp'),
    evictionTimestamp: opt('evictionTimestamp'),
    serviceUpTimestamp: opt('serviceUpTimestamp'),
  };
}

export function readInstance(s: AnswerShape, v: unknown, path: string): EurekaInstance {
  const o = s.object(v, path);
  const hostName = s.str(o, 'hostName', path);
  const instanceId = optText(s, o, 'instanceId', path);
  const dataCenter = o.dataCenterInfo === undefined || o.dataCenterInfo === null ? {} : s.obj(o, 'dataCenterInfo', path);
  const dcMeta = readMetadata(s, dataCenter.metadata, at(at(path, 'dataCenterInfo'), 'metadata'));
  return {
    id: instanceId === null || instanceId === '' ? hostName : instanceId,
    app: s.str(o, 'app', path),
    hostName,
    ipAddr: s.str(o, 'ipAddr', path),
    status: s.str(o, 'status', path),
    overriddenStatus: optText(s, o, 'overriddenStatus', path) ?? optText(s, o, 'overriddenstatus', path),
    port: readPort(s, o, 'port', path),
    securePort: readPort(s, o, 'securePort', path),
    metadata: readMetadata(s, o.metadata, at(path, 'metadata')),
    lease: readLease(s, o.leaseInfo, at(path, 'leaseInfo')),
    homePageUrl: optText(s, o, 'homePageUrl', path),
    statusPageUrl: optText(s, o, 'statusPageUrl', path),
    healthCheckUrl: optText(s, o, 'healthCheckUrl', path),
    secureHealthCheckUrl: optText(s, o, 'secureHealthCheckUrl', path),
    availabilityZone: dcMeta['availability-zone'] ?? null,
    lastDirtyTimestamp: optWholeNumber(s, o, 'lastDirtyTimestamp', path),
    raw: o,
  };
}

function readApplicationBody(s: AnswerShape, v: unknown, path: string): EurekaApplication {
  const o = s.object(v, path);
  return { name: s.str(o, 'name', path), instances: oneOrMany(s, o.instance, at(path, 'instance')).map((i) => readInstance(s, i.v, i.path)) };
}

/** `GET /apps`: `{"applications": {"application": [...]}}` (one application may come as an object). */
export function readApplications(s: AnswerShape, body: unknown): EurekaApplication[] {
  const apps = s.obj(s.object(body), 'applications');
  return oneOrMany(s, apps.application, 'applications.application').map((a) => readApplicationBody(s, a.v, a.path));
}

/** `GET /apps/{APP}`: `{"application": {"name", "instance": [...]}}`. */
export function readApplication(s: AnswerShape, body: unknown): EurekaApplication {
  return readApplicationBody(s, s.obj(s.object(body), 'application'), 'application');
}

/** `GET /apps/{APP}/{ID}`: `{"instance": {...}}`. */
export function readInstanceAnswer(s: AnswerShape, body: unknown): EurekaInstance {
  return readInstance(s, s.obj(s.object(body), 'instance'), 'instance');
}
