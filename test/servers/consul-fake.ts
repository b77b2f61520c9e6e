import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AclDenied, authorize, tokenOf, type AclConfig, type Authorizer, type TokenSource } from './consul-fake/acl.js';
import { Agent } from './consul-fake/agent.js';
import { Datacenter, type CheckRec, type DatacenterSnapshot, type KvRec, type NodeRec, type ServiceRec } from './consul-fake/catalog.js';
import { field, readCheckDef, type CheckDef } from './consul-fake/checks.js';
import { parseGoDuration } from './consul-fake/go-duration.js';

/*
 * A FAKE Consul, built from Consul's API docs and source because no Consul server can run on
 * this machine (no Debian or npm package ships the binary, and downloads and Docker are not
 * available). It is not a mock: it keeps real state and applies the rules the real agent and
 * servers apply, as read in hashicorp/consul (test/fixtures/consul/README.md lists the files):
 *
 * - Each datacenter has its own Raft index, catalog and KV store (catalog.ts); every write takes
 *   the next index. Each agent is its own HTTP server on its own loopback address (127.0.0.N, one
 *   port for all), owns the services registered through it, runs their checks (TTL expiry, real
 *   HTTP and TCP probes) and syncs its node's catalog entries by anti-entropy (agent.ts).
 * - Reads answer in the JSON shapes of test/fixtures/consul/ (ServiceNode, CheckServiceNode,
 *   HealthCheck, DirEntry, AgentService), with X-Consul-Index, X-Consul-Knownleader and
 *   X-Consul-Lastcontact as Go writes them; `?index=N&wait=D` blocks until the index of what the
 *   query reads passes N or the wait (default 5m, at most 10m, plus up to wait/16 of jitter) runs
 *   out. `snapshot()`/`restore()` play a snapshot restore: state and index go back, blocked
 *   queries return at once.
 * - KV: `?recurse`, `?keys` with `separator`, `?raw`, `flags`, `cas` on ModifyIndex (cas=0 means
 *   only if absent; a failed cas is HTTP 200 `false`), DELETE with `recurse` or `cas`.
 * - `?dc=` reaches another datacenter's catalog and KV; an unknown one is 500 "No path to datacenter".
 * - ACLs (acl.ts): tokens from `?token=`, X-Consul-Token or Authorization: Bearer; writes and
 *   single-key reads answer 403 without the permission, list reads are filtered instead.
 *
 * Every request is recorded (`requests`) so tests can assert what real clients send.
 * Not implemented (answered with an error that says so, never silently): sessions and locks
 * (`acquire`/`release`), `?filter=` expressions, prepared queries, Connect, namespaces/partitions.
 */

export type { AclConfig, AclTokenSpec } from './consul-fake/acl.js';

export interface ConsulFakeOptions {
  /** Datacenter → agent node names; the first datacenter and its first agent come first. Default { dc1: ['node-1'] }. */
  datacenters?: Record<string, string[]>;
  acl?: AclConfig;
  /** Version string agents report (Config.Version in /v1/agent/self). */
  version?: string;
  /** Period of anti-entropy full syncs (Consul: at least a minute, more in big clusters). */
  antiEntropyMs?: number;
  /** Period of the reaper of DeregisterCriticalServiceAfter (Consul: 30s). */
  reapIntervalMs?: number;
}

export interface RecordedRequest {
  agent: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  /** How the ACL token came (null: none) and its value, so tests can assert the mechanism. */
  tokenVia: TokenSource;
  token: string | null;
  contentType: string | undefined;
  /** The body as JSON when it parses, else as text ('' when empty). */
  body: unknown;
  status: number;
}

export interface FakeAgent {
  name: string;
  datacenter: string;
  address: string;
  url: string;
}

export interface ConsulFake {
  /** The first agent's base URL (http://127.0.0.1:PORT). */
  url: string;
  port: number;
  agents: FakeAgent[];
  requests: RecordedRequest[];
  /** The catalog and KV of a datacenter, for assertions and for seeding. */
  dc(name?: string): Datacenter;
  agent(name: string): Agent;
  /** Runs anti-entropy on every agent now. */
  syncNow(): void;
  /** Takes a snapshot of a datacenter's state (`consul snapshot save`). */
  snapshot(dc?: string): DatacenterSnapshot;
  /** Restores one: state and indexes go back, blocked queries return at once with the lower index. */
  restore(snapshot: DatacenterSnapshot, dc?: string): void;
  /** Number of blocking queries parked in a datacenter. */
  parked(dc?: string): number;
  stop(): Promise<void>;
}

const DEFAULT_VERSION = '1.21.4';

export async function startConsulFake(opts: ConsulFakeOptions = {}): Promise<ConsulFake> {
  const layout = opts.datacenters ?? { dc1: ['node-1'] };
  const version = opts.version ?? DEFAULT_VERSION;
  const dcs = new Map<string, Datacenter>();
  const agents: Agent[] = [];
  let n = 0;
  for (const [dcName, names] of Object.entries(layout)) {
    // Datacenters are separate Raft clusters: their indexes are unrelated.
    const dc = new Datacenter(dcName, 10 + 7 * dcs.size);
    dcs.set(dcName, dc);
    names.forEach((name, i) => {
      n++;
      agents.push(new Agent({ name, dc, address: `127.0.0.${n}`, nodeId: nodeId(name), server: i === 0, reapIntervalMs: opts.reapIntervalMs ?? 30_000 }));
    });
  }
  for (const a of agents) a.join();

  const requests: RecordedRequest[] = [];
  const servers: Server[] = [];
  const ctx: Ctx = { dcs, agents, acl: opts.acl, version, requests };
  const port = await listenAll(agents, (agent) => createServer((req, res) => void handle(ctx, agent, req, res).catch((e) => fail(res, 500, String(e)))), servers);
  const ae = setInterval(() => agents.forEach((a) => a.sync()), opts.antiEntropyMs ?? 60_000);
  ae.unref();

  const dcOf = (name?: string) => {
    const dc = dcs.get(name ?? agents[0]!.dc.name);
    if (!dc) throw new Error(`no datacenter ${name}`);
    return dc;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    agents: agents.map((a) => ({ name: a.name, datacenter: a.dc.name, address: a.address, url: `http://${a.address}:${port}` })),
    requests,
    dc: dcOf,
    agent(name) {
      const a = agents.find((x) => x.name === name);
      if (!a) throw new Error(`no agent ${name}`);
      return a;
    },
    syncNow: () => agents.forEach((a) => a.sync()),
    snapshot: (dc) => dcOf(dc).snapshot(),
    restore: (snap, dc) => dcOf(dc).restore(snap),
    parked: (dc) => dcOf(dc).parked,
    async stop() {
      clearInterval(ae);
      for (const a of agents) a.stop();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

/** Binds every agent on its own loopback address and one shared port, as agents on separate hosts share 8500. */
async function listenAll(agents: Agent[], make: (a: Agent) => Server, servers: Server[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const made: Server[] = [];
    try {
      const first = make(agents[0]!);
      made.push(first);
      await new Promise<void>((ok, bad) => first.once('error', bad).listen(0, agents[0]!.address, () => ok()));
      const port = (first.address() as AddressInfo).port;
      for (const a of agents.slice(1)) {
        const s = make(a);
        made.push(s);
        await new Promise<void>((ok, bad) => s.once('error', bad).listen(port, a.address, () => ok()));
      }
      servers.push(...made);
      return port;
    } catch {
      await Promise.all(made.map((s) => new Promise((r) => s.close(r))));
    }
  }
  throw new Error('consul fake: no port free on every agent address');
}

function nodeId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------

interface Ctx {
  dcs: Map<string, Datacenter>;
  agents: Agent[];
  acl: AclConfig | undefined;
  version: string;
  requests: RecordedRequest[];
}

interface Call {
  ctx: Ctx;
  agent: Agent;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  q: URLSearchParams;
  body: Buffer;
  authz: Authorizer;
  record: RecordedRequest;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function handle(ctx: Ctx, agent: Agent, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://consul');
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const token = tokenOf(req, url);
  const query: Record<string, string[]> = {};
  url.searchParams.forEach((v, k) => (query[k] ??= []).push(v));
  const text = body.toString('utf8');
  let parsed: unknown = text;
  try {
    parsed = text === '' ? '' : JSON.parse(text);
  } catch {
    // Not JSON: a KV value or a malformed registration, kept as text.
  }
  const record: RecordedRequest = {
    agent: agent.name,
    method: req.method ?? '',
    path: decodeURIComponent(url.pathname),
    query,
    tokenVia: token.via,
    token: token.secret,
    contentType: req.headers['content-type'],
    body: parsed,
    status: 0,
  };
  ctx.requests.push(record);
  res.on('finish', () => (record.status = res.statusCode));
  // Every answer since Consul 1.9 says what the default ACL policy is, ACLs on or off.
  res.setHeader('X-Consul-Default-Acl-Policy', ctx.acl?.defaultPolicy ?? 'allow');
  // Consul wraps every endpoint in a gzip handler, which always sets this.
  res.setHeader('Vary', 'Accept-Encoding');
  try {
    const authz = authorize(ctx.acl, token);
    await route({ ctx, agent, req, res, url, q: url.searchParams, body, authz, record });
  } catch (e) {
    if (e instanceof AclDenied) return fail(res, 403, e.message);
    if (e instanceof HttpError) return fail(res, e.status, e.message);
    throw e;
  }
}

/** Go's http.Error-like answer: text/plain (sniffed by net/http), the message as the body. */
function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.end();
  res.statusCode = status;
  if (message !== '') res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(message);
}

function json(call: Call, value: unknown, status = 200): void {
  const pretty = call.q.has('pretty');
  call.res.statusCode = status;
  call.res.setHeader('Content-Type', 'application/json');
  call.res.end(pretty ? JSON.stringify(value, null, 4) + '\n' : JSON.stringify(value));
}

/** A 200 with no body, as agent endpoints answer that return nothing. */
function empty(call: Call): void {
  call.res.statusCode = 200;
  call.res.end();
}

function datacenterOf(call: Call): Datacenter {
  const name = call.q.get('dc') || call.agent.dc.name;
  const dc = call.ctx.dcs.get(name);
  if (!dc) throw new HttpError(500, 'No path to datacenter');
  return dc;
}

function parseBool(v: string | null, what: string): boolean {
  if (v === null) return false;
  if (v === '') return true;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new HttpError(400, `Invalid value for ${what}`);
}

async function route(call: Call): Promise<void> {
  const { req, url } = call;
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (call.q.has('filter')) throw new HttpError(400, 'consul fake: ?filter expressions are not implemented');
  const sub = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
  const only = (...methods: string[]) => {
    if (!methods.includes(method)) {
      call.res.setHeader('Allow', ['OPTIONS', ...methods].join(','));
      throw new HttpError(405, `method ${method} not allowed`);
    }
  };

  if (path === '/v1/agent/self') return only('GET'), agentSelf(call);
  if (path === '/v1/agent/services') return only('GET'), agentServices(call);
  if (path === '/v1/agent/checks') return only('GET'), agentChecks(call);
  if (path === '/v1/agent/service/register') return only('PUT'), agentRegister(call);
  if (path.startsWith('/v1/agent/service/deregister/')) return only('PUT'), agentDeregister(call, sub('/v1/agent/service/deregister/'));
  if (path.startsWith('/v1/agent/service/maintenance/')) return only('PUT'), agentServiceMaint(call, sub('/v1/agent/service/maintenance/'));
  if (path === '/v1/agent/maintenance') return only('PUT'), agentNodeMaint(call);
  if (path === '/v1/agent/check/register') return only('PUT'), agentCheckRegister(call);
  if (path.startsWith('/v1/agent/check/deregister/')) return only('PUT'), agentCheckDeregister(call, sub('/v1/agent/check/deregister/'));
  for (const [verb, status] of [['pass', 'passing'], ['warn', 'warning'], ['fail', 'critical']] as const) {
    const p = `/v1/agent/check/${verb}/`;
    if (path.startsWith(p)) return only('PUT'), agentCheckUpdate(call, sub(p), status, call.q.get('note') ?? '');
  }
  if (path.startsWith('/v1/agent/check/update/')) {
    only('PUT');
    const upd = parseJsonBody(call);
    const status = String(field(upd, 'Status') ?? '');
    if (!['passing', 'warning', 'critical'].includes(status)) throw new HttpError(400, `Invalid check status: '${status}'`);
    return agentCheckUpdate(call, sub('/v1/agent/check/update/'), status as 'passing', String(field(upd, 'Output') ?? ''));
  }
  if (path === '/v1/status/leader') return only('GET'), json(call, `${serverOf(call).address}:8300`);
  if (path === '/v1/status/peers') return only('GET'), json(call, [`${serverOf(call).address}:8300`]);
  if (path === '/v1/catalog/datacenters') return only('GET'), json(call, [...call.ctx.dcs.keys()].sort());
  if (path === '/v1/catalog/services') return only('GET'), catalogServices(call);
  if (path.startsWith('/v1/catalog/service/')) return only('GET'), catalogService(call, sub('/v1/catalog/service/'));
  if (path === '/v1/catalog/nodes') return only('GET'), catalogNodes(call);
  if (path === '/v1/catalog/register') return only('PUT'), catalogRegister(call);
  if (path === '/v1/catalog/deregister') return only('PUT'), catalogDeregister(call);
  if (path.startsWith('/v1/health/service/')) return only('GET'), healthService(call, sub('/v1/health/service/'));
  if (path.startsWith('/v1/health/checks/')) return only('GET'), healthChecks(call, sub('/v1/health/checks/'));
  if (path.startsWith('/v1/health/state/')) return only('GET'), healthState(call, sub('/v1/health/state/'));
  if (path === '/v1/kv' || path.startsWith('/v1/kv/')) return only('GET', 'PUT', 'DELETE'), kv(call, path === '/v1/kv' ? '' : sub('/v1/kv/'));
  // Consul's mux sends every other path to its index handler, which answers 404 with no body.
  call.res.statusCode = 404;
  call.res.end();
}

function serverOf(call: Call): Agent {
  const dc = datacenterOf(call);
  return call.ctx.agents.find((a) => a.dc === dc && a.server)!;
}

function parseJsonBody(call: Call): unknown {
  const text = call.body.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'Request decode failed: EOF');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `Request decode failed: ${(e as Error).message}`);
  }
}

// ---- blocking queries ------------------------------------------------------------------------

interface Answer {
  index: number;
  send(call: Call): void;
}

const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 5 * 60_000;

/**
 * Runs a read with Consul's blocking semantics (agent/consul/rpc.go blockingQuery): without
 * `index` (or with 0) it answers at once; otherwise it re-runs the read on every write to the
 * datacenter until the index passes the one given, the wait runs out (then it answers with the
 * current, possibly lower, index) or a snapshot restore wakes it.
 */
async function blocking(call: Call, dc: Datacenter, read: () => Answer): Promise<void> {
  const waitRaw = call.q.get('wait');
  const indexRaw = call.q.get('index');
  let waitMs = DEFAULT_WAIT_MS;
  if (waitRaw) {
    const ms = parseGoDuration(waitRaw);
    if (ms === null) throw new HttpError(400, 'Invalid wait time');
    waitMs = ms;
  }
  let min = 0;
  if (indexRaw) {
    if (!/^\d+$/.test(indexRaw)) throw new HttpError(400, 'Invalid index');
    min = Number(indexRaw);
  }
  let answer = read();
  if (min > 0 && answer.index <= min) {
    if (waitMs <= 0 || waitMs > MAX_WAIT_MS) waitMs = waitMs > MAX_WAIT_MS ? MAX_WAIT_MS : DEFAULT_WAIT_MS;
    waitMs += Math.random() * (waitMs / 16);
    answer = await new Promise<Answer>((resolve) => {
      let latest = answer;
      const done = () => {
        clearTimeout(timer);
        unpark();
        resolve(latest);
      };
      const timer = setTimeout(done, waitMs);
      const unpark = dc.park({
        wake(restored) {
          latest = read();
          if (restored || latest.index > min) done();
        },
      });
      call.res.once('close', done);
    });
  }
  if (call.res.destroyed) return;
  setMeta(call, answer.index);
  answer.send(call);
}

function setMeta(call: Call, index: number): void {
  const r = call.res;
  // setIndex never sends 0: blocking clients would spin on ?index=0 (agent/http.go).
  r.setHeader('X-Consul-Index', String(Math.max(index, 1)));
  r.setHeader('X-Consul-Knownleader', 'true');
  r.setHeader('X-Consul-Lastcontact', '0');
  r.setHeader('X-Consul-Effective-Consistency', call.q.has('consistent') ? 'consistent' : call.q.has('stale') ? 'stale' : 'leader');
}

/** Sets X-Consul-Results-Filtered-By-Acls, only for requests that carry a token (as Consul does). */
function filteredHeader(call: Call, filtered: boolean): void {
  if (call.record.token !== null) call.res.setHeader('X-Consul-Results-Filtered-By-Acls', String(filtered));
}

// ---- agent endpoints -------------------------------------------------------------------------

function agentSelf(call: Call): void {
  const a = call.agent;
  call.authz.require('agent', a.name, 'read');
  const revision = 'f2d2c5c1';
  json(call, {
    Config: { Datacenter: a.dc.name, PrimaryDatacenter: call.ctx.agents[0]!.dc.name, NodeName: a.name, NodeID: a.nodeId, Revision: revision, Server: a.server, Version: call.ctx.version, BuildDate: '2026-08-14T09:12:01Z' },
    DebugConfig: {
      ACLsEnabled: call.ctx.acl !== undefined,
      ACLResolverSettings: { ACLDefaultPolicy: call.ctx.acl?.defaultPolicy ?? 'allow', Datacenter: a.dc.name, NodeName: a.name },
      AdvertiseAddrLAN: a.address,
      ClientAddrs: [a.address],
      Datacenter: a.dc.name,
      HTTPPort: call.req.socket.localPort ?? 8500,
      NodeName: a.name,
      PrimaryDatacenter: call.ctx.agents[0]!.dc.name,
      Revision: revision,
      ServerMode: a.server,
      Version: call.ctx.version,
    },
    Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 },
    Member: {
      Name: a.name,
      Addr: a.address,
      Port: 8301,
      Tags: {
        acls: call.ctx.acl ? '1' : '0',
        build: `${call.ctx.version}:${revision}`,
        dc: a.dc.name,
        id: a.nodeId,
        role: a.server ? 'consul' : 'node',
        segment: '',
        vsn: '2',
        vsn_max: '3',
        vsn_min: '2',
        ...(a.server ? { port: '8300', raft_vsn: '3', wan_join_port: '8302', expect: '1' } : {}),
      },
      Status: 1,
      ProtocolMin: 1,
      ProtocolMax: 5,
      ProtocolCur: 2,
      DelegateMin: 2,
      DelegateMax: 5,
      DelegateCur: 4,
    },
    Stats: {
      agent: { check_monitors: '0', check_ttls: String([...a.checks.values()].filter((c) => c.def?.kind === 'ttl').length), checks: String(a.checks.size), services: String(a.services.size) },
      build: { prerelease: '', revision, version: call.ctx.version, version_metadata: '' },
      consul: { acl: call.ctx.acl ? 'enabled' : 'disabled', known_datacenters: String(call.ctx.dcs.size), leader: String(a.server), server: String(a.server) },
    },
    Meta: { 'consul-network-segment': '' },
    xDS: { SupportedProxies: { envoy: ['1.34.1', '1.33.2', '1.32.5', '1.31.8'] }, Port: 8502, Ports: { Plaintext: 8502, TLS: -1 } },
  });
}

/** api.AgentService as buildAgentService writes it (agent/agent_endpoint.go). */
function agentService(svc: ServiceRec | Omit<ServiceRec, 'CreateIndex' | 'ModifyIndex'>, dc: string, catalog?: ServiceRec) {
  return {
    ...(svc.Kind ? { Kind: svc.Kind } : {}),
    ID: svc.ID,
    Service: svc.Service,
    Tags: svc.Tags ?? [],
    Meta: svc.Meta ?? {},
    Port: svc.Port,
    Address: svc.Address,
    ...(svc.TaggedAddresses ? { TaggedAddresses: svc.TaggedAddresses } : {}),
    Weights: svc.Weights,
    EnableTagOverride: svc.EnableTagOverride,
    ...(catalog ? { CreateIndex: catalog.CreateIndex, ModifyIndex: catalog.ModifyIndex } : {}),
    Datacenter: dc,
  };
}

function agentServices(call: Call): void {
  const a = call.agent;
  const out: Record<string, unknown> = {};
  let filtered = false;
  for (const [id, { svc }] of [...a.services].sort(([x], [y]) => x.localeCompare(y))) {
    if (!call.authz.allowed('service', svc.Service, 'read')) {
      filtered = true;
      continue;
    }
    out[id] = agentService(svc, a.dc.name, a.dc.services.get(a.name)?.get(id));
  }
  filteredHeader(call, filtered);
  json(call, out);
}

function agentChecks(call: Call): void {
  const a = call.agent;
  const out: Record<string, unknown> = {};
  for (const [id, c] of [...a.checks].sort(([x], [y]) => x.localeCompare(y))) {
    const allowed = c.check.ServiceID ? call.authz.allowed('service', c.check.ServiceName, 'read') : call.authz.allowed('node', a.name, 'read');
    if (allowed) out[id] = c.check;
  }
  json(call, out);
}

function agentRegister(call: Call): void {
  const raw = parseJsonBody(call);
  const name = String(field(raw, 'Name') ?? '');
  if (!name) throw new HttpError(400, 'Missing service name');
  const address = String(field(raw, 'Address') ?? '');
  if (address === '0.0.0.0' || address === '::' || address === '[::]') throw new HttpError(400, 'Invalid service address');
  call.authz.require('service', name, 'write');
  const weightsRaw = field(raw, 'Weights');
  let weights = { Passing: 1, Warning: 1 };
  if (weightsRaw && typeof weightsRaw === 'object') {
    const passing = Number(field(weightsRaw, 'Passing') ?? 0);
    const warning = Number(field(weightsRaw, 'Warning') ?? 0);
    if (passing < 1) throw new HttpError(400, 'Invalid Weights: Passing must be greater than 0');
    weights = { Passing: passing, Warning: warning };
  }
  const meta = (field(raw, 'Meta') as Record<string, string> | undefined) ?? null;
  for (const k of Object.keys(meta ?? {})) {
    if (!/^[a-zA-Z0-9_-]+$/.test(k)) throw new HttpError(400, `Invalid Service Meta: Couldn't load metadata pair ('${k}', '${meta![k]}'): Key contains invalid characters`);
    if (k.startsWith('consul-')) throw new HttpError(400, `Invalid Service Meta: Couldn't load metadata pair ('${k}', '${meta![k]}'): Key prefix 'consul-' is reserved for internal use`);
  }
  const id = String(field(raw, 'ID') ?? '') || name;
  const svc = {
    ...(field(raw, 'Kind') ? { Kind: String(field(raw, 'Kind')) } : {}),
    ID: id,
    Service: name,
    Tags: ((field(raw, 'Tags') as string[] | undefined) ?? []).map(String),
    Address: address,
    ...(field(raw, 'TaggedAddresses') ? { TaggedAddresses: field(raw, 'TaggedAddresses') as Record<string, { Address: string; Port: number }> } : {}),
    Meta: meta,
    Port: Number(field(raw, 'Port') ?? 0),
    Weights: weights,
    EnableTagOverride: Boolean(field(raw, 'EnableTagOverride') ?? false),
  };
  const defs: unknown[] = [];
  const one = field(raw, 'Check');
  if (one && typeof one === 'object') defs.push(one);
  const many = field(raw, 'Checks');
  if (Array.isArray(many)) defs.push(...many);
  let checks: CheckDef[];
  try {
    checks = defs.map((d, i) => readCheckDef(d, defs.length > 1 ? `service:${id}:${i + 1}` : `service:${id}`, `Service '${name}' check`));
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  const replace = call.q.has('replace-existing-checks') && ['', 'true'].includes(call.q.get('replace-existing-checks')!);
  call.agent.addService(svc, checks, replace);
  empty(call);
}

/**
 * vetServiceUpdateWithAuthorizer (agent/acl.go): an update of a service this agent does not own
 * is a 404, checked before anything else; otherwise service:write on the service's name.
 */
function vetServiceUpdate(call: Call, id: string): void {
  const svc = call.agent.services.get(id);
  if (!svc) throw new HttpError(404, `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
  call.authz.require('service', svc.svc.Service, 'write');
}

function agentDeregister(call: Call, id: string): void {
  vetServiceUpdate(call, id);
  call.agent.removeService(id);
  empty(call);
}

function agentServiceMaint(call: Call, id: string): void {
  if (!id) throw new HttpError(400, 'Missing service ID');
  const enable = enableParam(call);
  // A service another agent owns is unknown here: the agent keeps only its own services.
  vetServiceUpdate(call, id);
  call.agent.serviceMaintenance(id, enable, call.q.get('reason') ?? '');
  empty(call);
}

/** The `enable` parameter of the maintenance endpoints, with their 400 texts. */
function enableParam(call: Call): boolean {
  if (!call.q.has('enable')) throw new HttpError(400, 'Missing value for enable');
  const raw = call.q.get('enable')!;
  try {
    return parseBool(raw, 'enable');
  } catch {
    throw new HttpError(400, `Invalid value for enable: "${raw}"`);
  }
}

function agentNodeMaint(call: Call): void {
  const enable = enableParam(call);
  call.authz.require('node', call.agent.name, 'write');
  call.agent.nodeMaintenance(enable, call.q.get('reason') ?? '');
  empty(call);
}

function agentCheckRegister(call: Call): void {
  const raw = parseJsonBody(call);
  const name = String(field(raw, 'Name') ?? '');
  if (!name) throw new HttpError(400, 'Missing check name');
  const serviceId = String(field(raw, 'ServiceID') ?? '');
  const svc = serviceId ? call.agent.services.get(serviceId)?.svc : null;
  if (serviceId && !svc) throw new HttpError(404, `ServiceID "${serviceId}" does not exist`);
  if (svc) call.authz.require('service', svc.Service, 'write');
  else call.authz.require('node', call.agent.name, 'write');
  let def: CheckDef;
  try {
    def = readCheckDef(raw, name, name);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
  call.agent.setCheck(def, svc ?? null);
  call.agent.sync();
  empty(call);
}

function agentCheckDeregister(call: Call, id: string): void {
  const c = call.agent.checks.get(id);
  if (c) requireCheckWrite(call, c.check);
  if (!c) throw new HttpError(404, `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
  call.agent.dropCheck(id);
  call.agent.sync();
  empty(call);
}

function requireCheckWrite(call: Call, check: Omit<CheckRec, 'CreateIndex' | 'ModifyIndex'>): void {
  if (check.ServiceID) call.authz.require('service', check.ServiceName, 'write');
  else call.authz.require('node', call.agent.name, 'write');
}

function agentCheckUpdate(call: Call, id: string, status: 'passing' | 'warning' | 'critical', output: string): void {
  const c = call.agent.checks.get(id);
  if (!c) throw new HttpError(404, `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
  requireCheckWrite(call, c.check);
  const r = call.agent.updateTtl(id, status, output);
  if (r === 'not-ttl') throw new HttpError(500, `CheckID "${id}" does not have associated TTL`);
  empty(call);
}

// ---- catalog ---------------------------------------------------------------------------------

function catalogServices(call: Call): Promise<void> {
  const dc = datacenterOf(call);
  return blocking(call, dc, () => {
    const out: Record<string, string[]> = {};
    let filtered = false;
    for (const [name, tags] of [...dc.serviceNames()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!call.authz.allowed('service', name, 'read')) {
        filtered = true;
        continue;
      }
      out[name] = [...tags].sort();
    }
    return {
      index: dc.tables.services || 1,
      send: (c) => {
        filteredHeader(c, filtered);
        json(c, out);
      },
    };
  });
}

/** structs.ServiceNode as the catalog endpoint writes it (empty ServiceTags become []). */
function serviceNode(node: NodeRec, svc: ServiceRec) {
  return {
    ID: node.ID,
    Node: node.Node,
    Address: node.Address,
    Datacenter: node.Datacenter,
    TaggedAddresses: node.TaggedAddresses,
    NodeMeta: node.Meta,
    ServiceKind: svc.Kind ?? '',
    ServiceID: svc.ID,
    ServiceName: svc.Service,
    ServiceTags: svc.Tags ?? [],
    ServiceAddress: svc.Address,
    ...(svc.TaggedAddresses ? { ServiceTaggedAddresses: svc.TaggedAddresses } : {}),
    ServiceWeights: svc.Weights,
    ServiceMeta: svc.Meta,
    ServicePort: svc.Port,
    ServiceSocketPath: '',
    ServiceEnableTagOverride: svc.EnableTagOverride,
    ServiceProxy: { Mode: '', MeshGateway: {}, Expose: {} },
    ServiceConnect: {},
    ServiceLocality: null,
    CreateIndex: svc.CreateIndex,
    ModifyIndex: svc.ModifyIndex,
  };
}

function readable(call: Call, name: string, node: string): boolean {
  return call.authz.allowed('service', name, 'read') && call.authz.allowed('node', node, 'read');
}

function catalogService(call: Call, name: string): Promise<void> {
  if (!name) throw new HttpError(400, 'Missing service name');
  const dc = datacenterOf(call);
  const tags = call.q.getAll('tag');
  return blocking(call, dc, () => {
    let filtered = false;
    const rows = dc.instances(name).filter(({ node, svc }) => {
      if (!readable(call, name, node.Node)) return !(filtered = true);
      return tags.every((t) => svc.Tags.includes(t));
    });
    return {
      index: dc.indexForService(name),
      send: (c) => {
        filteredHeader(c, filtered);
        json(c, rows.map(({ node, svc }) => serviceNode(node, svc)));
      },
    };
  });
}

function catalogNodes(call: Call): Promise<void> {
  const dc = datacenterOf(call);
  return blocking(call, dc, () => {
    const nodes = [...dc.nodes.values()].filter((n) => call.authz.allowed('node', n.Node, 'read')).sort((a, b) => a.Node.localeCompare(b.Node));
    return { index: dc.tables.nodes || 1, send: (c) => json(c, nodes) };
  });
}

/** PUT /v1/catalog/register: writes straight to the catalog, bypassing any agent. */
function catalogRegister(call: Call): void {
  const raw = parseJsonBody(call);
  const dc = call.ctx.dcs.get(String(field(raw, 'Datacenter') ?? '') || call.agent.dc.name);
  if (!dc) throw new HttpError(500, 'No path to datacenter');
  const nodeName = String(field(raw, 'Node') ?? '');
  const address = String(field(raw, 'Address') ?? '');
  if (!nodeName) throw new HttpError(400, 'Must provide node');
  call.authz.require('node', nodeName, 'write');
  const svcRaw = field(raw, 'Service');
  const checkRaws = [field(raw, 'Check'), ...((field(raw, 'Checks') as unknown[] | undefined) ?? [])].filter((x) => x && typeof x === 'object');
  if (svcRaw) call.authz.require('service', String(field(svcRaw, 'Service') ?? ''), 'write');
  const prevNode = dc.nodes.get(nodeName);
  dc.write((idx) => {
    if (!prevNode || !field(raw, 'SkipNodeUpdate')) {
      dc.upsertNode(
        {
          ID: String(field(raw, 'ID') ?? prevNode?.ID ?? ''),
          Node: nodeName,
          Address: address || prevNode?.Address || '',
          Datacenter: dc.name,
          TaggedAddresses: (field(raw, 'TaggedAddresses') as Record<string, string>) ?? prevNode?.TaggedAddresses ?? {},
          Meta: (field(raw, 'NodeMeta') as Record<string, string>) ?? prevNode?.Meta ?? {},
        },
        idx,
      );
    }
    let svc: ServiceRec | undefined;
    if (svcRaw) {
      const name = String(field(svcRaw, 'Service') ?? '');
      const id = String(field(svcRaw, 'ID') ?? '') || name;
      dc.upsertService(nodeName, { ID: id, Service: name, Tags: ((field(svcRaw, 'Tags') as string[]) ?? []).map(String), Address: String(field(svcRaw, 'Address') ?? ''), Meta: (field(svcRaw, 'Meta') as Record<string, string>) ?? null, Port: Number(field(svcRaw, 'Port') ?? 0), Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false }, idx);
      svc = dc.services.get(nodeName)!.get(id);
    }
    for (const c of checkRaws) {
      const sid = String(field(c, 'ServiceID') ?? '');
      const owner = sid ? dc.services.get(nodeName)?.get(sid) : undefined;
      const status = String(field(c, 'Status') ?? 'critical') as CheckRec['Status'];
      dc.upsertCheck({ Node: nodeName, CheckID: String(field(c, 'CheckID') ?? field(c, 'Name') ?? ''), Name: String(field(c, 'Name') ?? ''), Status: status, Notes: String(field(c, 'Notes') ?? ''), Output: String(field(c, 'Output') ?? ''), ServiceID: sid, ServiceName: owner?.Service ?? '', ServiceTags: owner?.Tags ?? [], Type: '', Interval: '', Timeout: '', ExposedPort: 0, Definition: (field(c, 'Definition') as Record<string, unknown>) ?? {} }, idx);
    }
    void svc;
  });
  json(call, true);
}

/** PUT /v1/catalog/deregister: removes from the catalog only; the owning agent's anti-entropy will put it back. */
function catalogDeregister(call: Call): void {
  const raw = parseJsonBody(call);
  const dc = call.ctx.dcs.get(String(field(raw, 'Datacenter') ?? '') || call.agent.dc.name);
  if (!dc) throw new HttpError(500, 'No path to datacenter');
  const nodeName = String(field(raw, 'Node') ?? '');
  if (!nodeName) throw new HttpError(400, 'Must provide node');
  const serviceId = String(field(raw, 'ServiceID') ?? '');
  const checkId = String(field(raw, 'CheckID') ?? '');
  call.authz.require('node', nodeName, 'write');
  dc.write((idx) => {
    if (serviceId) dc.removeService(nodeName, serviceId, idx);
    else if (checkId) dc.removeCheck(nodeName, checkId, idx);
    else {
      for (const id of [...(dc.services.get(nodeName)?.keys() ?? [])]) dc.removeService(nodeName, id, idx);
      for (const id of [...(dc.checks.get(nodeName)?.keys() ?? [])]) dc.removeCheck(nodeName, id, idx);
      dc.nodes.delete(nodeName);
      dc.tables.nodes = idx;
    }
  });
  json(call, true);
}

// ---- health ----------------------------------------------------------------------------------

function healthService(call: Call, name: string): Promise<void> {
  if (!name) throw new HttpError(400, 'Missing service name');
  const dc = datacenterOf(call);
  const tags = call.q.getAll('tag');
  const passing = parseBool(call.q.has('passing') ? call.q.get('passing') : null, '?passing');
  return blocking(call, dc, () => {
    let filtered = false;
    const rows = dc
      .instances(name)
      .filter(({ node, svc }) => {
        if (!readable(call, name, node.Node)) return !(filtered = true);
        return tags.every((t) => svc.Tags.includes(t));
      })
      .map(({ node, svc }) => ({ node, svc, checks: dc.checksFor(node.Node, svc.ID) }))
      .filter((r) => !passing || r.checks.every((c) => c.Status === 'passing'));
    return {
      index: dc.indexForService(name),
      send: (c) => {
        filteredHeader(c, filtered);
        json(
          c,
          rows.map((r) => ({ Node: r.node, Service: nodeService(r.svc), Checks: r.checks.map(checkOut) })),
        );
      },
    };
  });
}

/** structs.NodeService as JSON: Kind, Port (when 0), TaggedAddresses and SocketPath are omitempty. */
function nodeService(svc: ServiceRec) {
  return {
    ...(svc.Kind ? { Kind: svc.Kind } : {}),
    ID: svc.ID,
    Service: svc.Service,
    Tags: svc.Tags ?? [],
    Address: svc.Address,
    ...(svc.TaggedAddresses ? { TaggedAddresses: svc.TaggedAddresses } : {}),
    Meta: svc.Meta,
    ...(svc.Port ? { Port: svc.Port } : {}),
    Weights: svc.Weights,
    EnableTagOverride: svc.EnableTagOverride,
    Proxy: { Mode: '', MeshGateway: {}, Expose: {} },
    Connect: {},
    PeerName: '',
    CreateIndex: svc.CreateIndex,
    ModifyIndex: svc.ModifyIndex,
  };
}

function checkOut(c: CheckRec) {
  return { ...c, ServiceTags: c.ServiceTags ?? [] };
}

function healthChecks(call: Call, name: string): Promise<void> {
  const dc = datacenterOf(call);
  return blocking(call, dc, () => {
    const out: CheckRec[] = [];
    for (const { node, svc } of dc.instances(name)) {
      if (!readable(call, name, node.Node)) continue;
      out.push(...dc.checksFor(node.Node, svc.ID).filter((c) => c.ServiceID === svc.ID));
    }
    return { index: dc.indexForService(name), send: (c) => json(c, out.map(checkOut)) };
  });
}

function healthState(call: Call, state: string): Promise<void> {
  if (!['any', 'passing', 'warning', 'critical'].includes(state)) throw new HttpError(400, `Bad check state: ${state}`);
  const dc = datacenterOf(call);
  return blocking(call, dc, () => {
    const out: CheckRec[] = [];
    for (const byId of dc.checks.values()) for (const c of byId.values()) if (state === 'any' || c.Status === state) out.push(c);
    return { index: dc.tables.checks || 1, send: (c) => json(c, out.map(checkOut)) };
  });
}

// ---- KV --------------------------------------------------------------------------------------

const KV_MAX_VALUE = 512 * 1024;

function dirEntry(e: KvRec) {
  return { LockIndex: e.LockIndex, Key: e.Key, Flags: e.Flags, Value: e.Value === null ? null : e.Value.toString('base64'), ...(e.Session ? { Session: e.Session } : {}), CreateIndex: e.CreateIndex, ModifyIndex: e.ModifyIndex };
}

async function kv(call: Call, key: string): Promise<void> {
  const dc = datacenterOf(call);
  const q = call.q;
  const method = call.req.method;
  if (method === 'GET') {
    if (q.has('keys')) return kvKeys(call, dc, key);
    const recurse = q.has('recurse');
    if (!recurse && key === '') throw new HttpError(400, 'Missing key name');
    if (!recurse) call.authz.require('key', key, 'read');
    return blocking(call, dc, () => {
      if (recurse) {
        const all = dc.kvList(key);
        const rows = all.filter((e) => call.authz.allowed('key', e.Key, 'read'));
        return {
          index: dc.kvPrefixIndex(key),
          send: (c) => {
            filteredHeader(c, rows.length !== all.length);
            if (rows.length === 0) return void ((c.res.statusCode = 404), c.res.end());
            json(c, rows.map(dirEntry));
          },
        };
      }
      const e = dc.kv.get(key);
      if (!e) return { index: Math.max(dc.tables.kvs, 1), send: (c) => void ((c.res.statusCode = 404), c.res.end()) };
      return {
        index: e.ModifyIndex,
        send: (c) => {
          if (q.has('raw')) {
            // Consul pins the type and forbids sniffing so a stored value cannot become HTML (CVE-2020-25864).
            c.res.setHeader('Content-Type', 'text/plain');
            c.res.setHeader('X-Content-Type-Options', 'nosniff');
            c.res.setHeader('Content-Security-Policy', 'sandbox');
            c.res.setHeader('Content-Length', String(e.Value?.length ?? 0));
            return void c.res.end(e.Value ?? Buffer.alloc(0));
          }
          json(c, [dirEntry(e)]);
        },
      };
    });
  }
  if (method === 'PUT') return kvPut(call, dc, key);
  return kvDelete(call, dc, key);
}

function kvKeys(call: Call, dc: Datacenter, prefix: string): Promise<void> {
  const sep = call.q.get('separator') ?? call.q.get('seperator') ?? '';
  return blocking(call, dc, () => {
    const keys: string[] = [];
    const seen = new Set<string>();
    let filtered = false;
    for (const e of dc.kvList(prefix)) {
      if (!call.authz.allowed('key', e.Key, 'read')) {
        filtered = true;
        continue;
      }
      let k = e.Key;
      if (sep) {
        const at = k.indexOf(sep, prefix.length);
        if (at >= 0) k = k.slice(0, at + sep.length);
      }
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
    return {
      index: dc.kvPrefixIndex(prefix),
      send: (c) => {
        filteredHeader(c, filtered);
        // No 404 for the root: an empty store lists as [].
        if (keys.length === 0 && prefix !== '') return void ((c.res.statusCode = 404), c.res.end());
        json(c, keys);
      },
    };
  });
}

function conflicting(call: Call, ...flags: string[]): void {
  if (flags.filter((f) => call.q.has(f)).length > 1) {
    const sorted = [...call.q.entries()].sort(([a], [b]) => a.localeCompare(b));
    throw new HttpError(400, 'Conflicting flags: ' + new URLSearchParams(sorted).toString());
  }
}

function parseUint(v: string): number {
  // The handler returns strconv's error as is, which the HTTP layer turns into a 500.
  if (!/^\d+$/.test(v)) throw new HttpError(500, `strconv.ParseUint: parsing "${v}": invalid syntax`);
  return Number(v);
}

function kvPut(call: Call, dc: Datacenter, key: string): void {
  if (key === '') throw new HttpError(400, 'Missing key name');
  conflicting(call, 'cas', 'acquire', 'release');
  if (call.q.has('acquire') || call.q.has('release')) throw new HttpError(400, 'consul fake: sessions (acquire/release) are not implemented');
  call.authz.require('key', key, 'write');
  if (call.body.length > KV_MAX_VALUE) {
    throw new HttpError(413, `Request body(${call.body.length} bytes) too large, max size: ${KV_MAX_VALUE} bytes. See https://www.consul.io/docs/agent/config/config-files#kv_max_value_size.`);
  }
  const flags = call.q.has('flags') ? parseUint(call.q.get('flags')!) : 0;
  const cas = call.q.has('cas') ? parseUint(call.q.get('cas')!) : null;
  const cur = dc.kv.get(key);
  if (cas !== null && (cas === 0 ? cur !== undefined : cur?.ModifyIndex !== cas)) return json(call, false);
  // An empty body is stored as no value at all, which reads back as "Value": null.
  const value = call.body.length ? Buffer.from(call.body) : null;
  dc.write((idx) => {
    dc.kv.set(key, { LockIndex: cur?.LockIndex ?? 0, Key: key, Flags: flags, Value: value, ...(cur?.Session ? { Session: cur.Session } : {}), CreateIndex: cur?.CreateIndex ?? idx, ModifyIndex: idx });
    dc.tombstones.delete(key);
    dc.tables.kvs = idx;
  });
  json(call, true);
}

function kvDelete(call: Call, dc: Datacenter, key: string): void {
  conflicting(call, 'recurse', 'cas');
  const recurse = call.q.has('recurse');
  if (!recurse && key === '') throw new HttpError(400, 'Missing key name');
  call.authz.require('key', key, 'write');
  if (call.q.has('cas')) {
    const cas = parseUint(call.q.get('cas')!);
    const cur = dc.kv.get(key);
    // Unlike PUT, cas=0 never deletes.
    if (cas === 0 || !cur || cur.ModifyIndex !== cas) return json(call, false);
  }
  const doomed = recurse ? dc.kvList(key).map((e) => e.Key) : dc.kv.has(key) ? [key] : [];
  dc.write((idx) => {
    for (const k of doomed) {
      dc.kv.delete(k);
      dc.tombstones.set(k, idx);
    }
    dc.tables.kvs = idx;
  });
  json(call, true);
}
