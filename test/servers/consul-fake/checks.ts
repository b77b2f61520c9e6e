/**
 * Check definitions as the agent reads them from a registration (PascalCase or snake_case keys,
 * matched case-insensitively like Go's encoding/json), and the runners that give HTTP and TCP
 * checks real results: the fake probes the target itself, as the agent would.
 */
import { connect } from 'node:net';
import { formatGoDuration, parseGoDuration } from './go-duration.js';

export type CheckKind = 'ttl' | 'http' | 'tcp' | 'udp' | 'grpc' | 'h2ping' | 'script' | 'docker' | 'alias' | 'os_service';

export interface CheckDef {
  id: string;
  name: string;
  notes: string;
  status: 'passing' | 'warning' | 'critical' | '';
  kind: CheckKind;
  target: string;
  method: string;
  header: Record<string, string[]>;
  intervalMs: number;
  timeoutMs: number;
  ttlMs: number;
  deregisterAfterMs: number;
}

/** Case-insensitive field lookup, as Go's JSON decoder matches struct fields. */
export function field(obj: unknown, ...names: string[]): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const rec = obj as Record<string, unknown>;
  for (const name of names) {
    const want = name.toLowerCase().replace(/_/g, '');
    for (const k of Object.keys(rec)) if (k.toLowerCase().replace(/_/g, '') === want) return rec[k];
  }
  return undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** Go accepts a duration as a string ("10s") or as nanoseconds. */
function duration(v: unknown, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number') return v / 1e6;
  const ms = parseGoDuration(String(v));
  if (ms === null) throw new Error(`Request decode failed: time: invalid duration "${String(v)}" (${what})`);
  return ms;
}

/** Reads one check from a registration body; throws with the 400 text Consul would answer. */
export function readCheckDef(raw: unknown, fallbackId: string, fallbackName: string): CheckDef {
  const kinds: Array<[CheckKind, string]> = [
    ['http', 'HTTP'],
    ['tcp', 'TCP'],
    ['udp', 'UDP'],
    ['grpc', 'GRPC'],
    ['h2ping', 'H2PING'],
    ['docker', 'DockerContainerID'],
    ['script', 'ScriptArgs'],
    ['os_service', 'OSService'],
  ];
  let kind: CheckKind | null = null;
  let target = '';
  for (const [k, f] of kinds) {
    const v = field(raw, f, k === 'script' ? 'Args' : f);
    if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) {
      kind = k;
      target = Array.isArray(v) ? v.join(' ') : str(v);
      break;
    }
  }
  const ttlMs = duration(field(raw, 'TTL'), 'TTL');
  if (!kind && ttlMs > 0) kind = 'ttl';
  if (!kind && (field(raw, 'AliasService') || field(raw, 'AliasNode'))) kind = 'alias';
  const intervalMs = duration(field(raw, 'Interval'), 'Interval');
  if (!kind) throw new Error('Invalid check: TTL must be > 0 for TTL checks');
  if (kind !== 'ttl' && kind !== 'alias' && intervalMs <= 0) {
    throw new Error('Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or GRPC checks');
  }
  if (kind === 'script' || kind === 'docker') {
    throw new Error('Scripts are disabled on this agent; to enable, configure \'enable_script_checks\' or \'enable_local_script_checks\' to true');
  }
  const status = str(field(raw, 'Status')) as CheckDef['status'];
  if (status !== '' && !['passing', 'warning', 'critical'].includes(status)) {
    throw new Error("Status for checks must 'passing', 'warning', 'critical'");
  }
  const header = (field(raw, 'Header') as Record<string, string[]> | undefined) ?? {};
  return {
    id: str(field(raw, 'CheckID', 'ID')) || fallbackId,
    name: str(field(raw, 'Name')) || fallbackName,
    notes: str(field(raw, 'Notes')),
    status,
    kind,
    target,
    method: str(field(raw, 'Method')) || 'GET',
    header,
    intervalMs,
    timeoutMs: duration(field(raw, 'Timeout'), 'Timeout'),
    ttlMs,
    deregisterAfterMs: duration(field(raw, 'DeregisterCriticalServiceAfter'), 'DeregisterCriticalServiceAfter'),
  };
}

/** The Interval/Timeout strings a HealthCheck carries: Duration.String(), empty when unset. */
export function checkTimes(def: CheckDef): { Interval: string; Timeout: string } {
  return { Interval: def.intervalMs ? formatGoDuration(def.intervalMs) : '', Timeout: def.timeoutMs ? formatGoDuration(def.timeoutMs) : '' };
}

export interface ProbeResult {
  status: 'passing' | 'warning' | 'critical';
  output: string;
}

/**
 * One HTTP probe with the agent's rules (agent/checks/check.go CheckHTTP): 2xx passing, 429
 * warning, anything else critical; the output names the request, the status line and the body.
 */
export async function probeHttp(def: CheckDef): Promise<ProbeResult> {
  const timeout = def.timeoutMs || 10_000;
  const headers: Record<string, string> = { 'User-Agent': 'Consul Health Check', Accept: 'text/plain, text/*, */*' };
  for (const [k, v] of Object.entries(def.header)) headers[k] = v.join(', ');
  try {
    const res = await fetch(def.target, { method: def.method, headers, signal: AbortSignal.timeout(timeout), redirect: 'follow' });
    const body = (await res.text()).slice(0, 4096);
    const output = `HTTP ${def.method} ${def.target}: ${res.status} ${res.statusText} Output: ${body}`;
    if (res.status >= 200 && res.status <= 299) return { status: 'passing', output };
    if (res.status === 429) return { status: 'warning', output };
    return { status: 'critical', output };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; address?: string; port?: number } };
    if (err.name === 'TimeoutError') {
      return { status: 'critical', output: `${cap(def.method)} "${def.target}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
    }
    const c = err.cause;
    const why = c?.code === 'ECONNREFUSED' ? `dial tcp ${c.address}:${c.port}: connect: connection refused` : err.message;
    return { status: 'critical', output: `${cap(def.method)} "${def.target}": ${why}` };
  }
}

/** One TCP probe (CheckTCP): a connect that succeeds is passing, anything else critical. */
export function probeTcp(def: CheckDef): Promise<ProbeResult> {
  const i = def.target.lastIndexOf(':');
  const host = def.target.slice(0, i);
  const port = Number(def.target.slice(i + 1));
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: def.timeoutMs || 10_000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve({ status: 'passing', output: `TCP connect ${def.target}: Success` });
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve({ status: 'critical', output: `dial tcp ${def.target}: i/o timeout` });
    });
    sock.once('error', (e: Error & { code?: string }) => {
      resolve({ status: 'critical', output: e.code === 'ECONNREFUSED' ? `dial tcp ${def.target}: connect: connection refused` : `dial tcp ${def.target}: ${e.message}` });
    });
  });
}

const cap = (m: string) => m.charAt(0).toUpperCase() + m.slice(1).toLowerCase();
