import { isObject, type AnswerShape } from '../kit/shape.js';

/**
 * Shape checks for Consul's answers (docs/dev/consul-facts.md §1), so a proxy page or a broken
 * answer is one 'bad-answer' error naming the server and the path of the first wrong part.
 * Fields Consul leaves out (`Service.Port` when 0, `Weights` before 1.2.3) are read as absent.
 */

type Obj = Record<string, unknown>;

export interface AgentSelf {
  datacenter: string;
  nodeName: string;
  version: string | null;
}

export interface CheckFacts {
  checkId: string;
  name: string;
  status: string;
  notes: string;
  output: string;
  serviceId: string;
  type: string;
}

/** One entry of /v1/health/service/:name (a CheckServiceNode). */
export interface HealthEntry {
  node: { name: string; address: string; datacenter: string };
  service: {
    id: string;
    name: string;
    tags: string[];
    address: string;
    port: number;
    meta: Record<string, string>;
    weights: { passing: number; warning: number } | null;
  };
  checks: CheckFacts[];
}

export interface KvEntry {
  key: string;
  /** The stored bytes; null for a key stored with an empty body (Consul answers "Value": null). */
  value: Buffer | null;
  flags: number;
  createIndex: number;
  modifyIndex: number;
  session: string | null;
}

/** A whole number Consul sends as a JSON number (indexes, ports, flags). */
export function count(s: AnswerShape, o: Obj, key: string, parent: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw s.fail(at(parent, key), 'a whole number', v);
  return v;
}

export function readAgentSelf(s: AnswerShape, body: unknown): AgentSelf {
  const o = s.object(body);
  const config = s.obj(o, 'Config');
  return { datacenter: s.str(config, 'Datacenter', 'Config'), nodeName: s.str(config, 'NodeName', 'Config'), version: s.optStr(config, 'Version', 'Config') ?? null };
}

/** /v1/catalog/services: service name → tags. */
export function readCatalogServices(s: AnswerShape, body: unknown): Map<string, string[]> {
  const o = s.object(body);
  return new Map(Object.entries(o).map(([name, tags]) => [name, s.arrayOf(tags ?? [], name, (t, p) => s.string(t, p))]));
}

export function readDatacenters(s: AnswerShape, body: unknown): string[] {
  return s.arrayOf(body, '', (v, p) => s.string(v, p));
}

export function readHealth(s: AnswerShape, body: unknown): HealthEntry[] {
  return s.arrayOf(body, '', (item, p) => {
    const e = s.object(item, p);
    const node = s.obj(e, 'Node', p);
    const svc = s.obj(e, 'Service', p);
    const sp = `${p}.Service`;
    const np = `${p}.Node`;
    const weights = s.optObj(svc, 'Weights', sp);
    return {
      node: { name: s.str(node, 'Node', np), address: s.str(node, 'Address', np), datacenter: s.optStr(node, 'Datacenter', np) ?? '' },
      service: {
        id: s.str(svc, 'ID', sp),
        name: s.str(svc, 'Service', sp),
        tags: s.arrayOf(svc.Tags ?? [], `${sp}.Tags`, (t, tp) => s.string(t, tp)),
        address: s.optStr(svc, 'Address', sp) ?? '',
        // Consul leaves Port out when it is 0.
        port: svc.Port === undefined ? 0 : count(s, svc, 'Port', sp),
        meta: stringMap(s, svc.Meta, `${sp}.Meta`),
        weights: weights ? { passing: count(s, weights, 'Passing', `${sp}.Weights`), warning: count(s, weights, 'Warning', `${sp}.Weights`) } : null,
      },
      checks: s.arrayOf(e.Checks ?? [], `${p}.Checks`, (c, cp) => readCheck(s, c, cp)),
    };
  });
}

function readCheck(s: AnswerShape, item: unknown, p: string): CheckFacts {
  const c = s.object(item, p);
  return {
    checkId: s.str(c, 'CheckID', p),
    name: s.optStr(c, 'Name', p) ?? '',
    status: s.str(c, 'Status', p),
    notes: s.optStr(c, 'Notes', p) ?? '',
    output: s.optStr(c, 'Output', p) ?? '',
    serviceId: s.optStr(c, 'ServiceID', p) ?? '',
    type: s.optStr(c, 'Type', p) ?? '',
  };
}

/** /v1/kv/…: always a list of DirEntry, even for one key; `Value` is base64 or null. */
export function readKv(s: AnswerShape, body: unknown): KvEntry[] {
  return s.arrayOf(body, '', (item, p) => {
    const e = s.object(item, p);
    const raw = e.Value;
    if (raw !== null && raw !== undefined && (typeof raw !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw))) throw s.fail(at(p, 'Value'), 'base64 text or null', raw);
    return {
      key: s.str(e, 'Key', p),
      value: typeof raw === 'string' && raw !== '' ? Buffer.from(raw, 'base64') : null,
      flags: count(s, e, 'Flags', p),
      createIndex: count(s, e, 'CreateIndex', p),
      modifyIndex: count(s, e, 'ModifyIndex', p),
      session: s.optStr(e, 'Session', p) ?? null,
    };
  });
}

/** /v1/kv/…?keys: a list of key names. */
export function readKeys(s: AnswerShape, body: unknown): string[] {
  return s.arrayOf(body, '', (v, p) => s.string(v, p));
}

/** /v1/agent/services: service ID → the agent's own definition, kept as sent for a re-registration. */
export function readAgentServices(s: AnswerShape, body: unknown): Map<string, Obj> {
  const o = s.object(body);
  return new Map(
    Object.entries(o).map(([id, v]) => {
      const svc = s.object(v, id);
      s.str(svc, 'Service', id);
      return [id, svc];
    }),
  );
}

/** Meta is `{}` or `null` (Consul stores what the registration had); values must be text. */
function stringMap(s: AnswerShape, v: unknown, path: string): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (!isObject(v)) throw s.fail(path, 'an object or null', v);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, s.string(x, `${path}.${k}`)]));
}

function at(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}
