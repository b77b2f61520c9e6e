import { OpsError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { HttpClient, type HttpReply, type HttpRequest } from '../kit/http.js';
import type { AnswerShape } from '../kit/shape.js';
import { snippetOf } from '../kit/snippet.js';
import { readAgentSelf, type AgentSelf } from './answers.js';
import type { ConsulOptions } from './options.js';

/** A request to one agent: the profile's (default) or the agent that owns an instance. */
export interface ConsulRequest extends HttpRequest {
  /** The agent's base URL; absent: the profile's url. */
  agent?: string;
}

/**
 * Consul over the kit's HTTP client: one client per agent URL (the profile's agent for reads,
 * owning agents for agent calls), the ACL token in the X-Consul-Token header of every request and
 * nowhere else (a `?token=` lands in access logs and proxies' URLs), and Consul's refusals
 * mapped to kinds: 403 is 'unauthorized' (exit 3) naming the server, with a hint about the token.
 * Consul's error bodies are plain text, quoted verbatim (redacted, on one line).
 */
export class ConsulHttp {
  /** "Consul at http://host:8500": how messages name the profile's agent. */
  readonly where: string;
  private readonly clients = new Map<string, HttpClient>();
  private self: Promise<AgentSelf> | null = null;

  constructor(readonly o: ConsulOptions) {
    this.where = this.client(o.url).where;
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  /** "Consul agent at http://10.0.1.12:8500", for messages about an owning agent. */
  whereOf(agent: string | undefined): string {
    return agent === undefined || agent === this.o.url ? this.where : this.client(agent).where;
  }

  shape(path: string, agent?: string): AnswerShape {
    return this.client(agent ?? this.o.url).shape(path);
  }

  json(reply: HttpReply, agent?: string): unknown {
    return this.client(agent ?? this.o.url).json(reply);
  }

  /** One exchange; a 403 is thrown as 'unauthorized', any other status is the caller's to read. */
  async send(req: ConsulRequest): Promise<HttpReply> {
    const { agent, ...rest } = req;
    const client = this.client(agent ?? this.o.url);
    const headers = this.o.token === undefined ? rest.headers : { ...rest.headers, 'x-consul-token': this.o.token };
    const reply = await client.request({ ...rest, ...(headers ? { headers } : {}) });
    if (reply.status === 403) throw this.refusedByAcl(client.where, req.path, reply);
    return reply;
  }

  /** `send`, then JSON of a 200 answer; another status is `failure`. */
  async getJson(req: ConsulRequest, what: string): Promise<{ body: unknown; reply: HttpReply }> {
    const reply = await this.send(req);
    if (reply.status !== 200) throw this.failure(reply, what, req.agent);
    return { body: this.json(reply, req.agent), reply };
  }

  /** The agent's own facts (datacenter, node name, version), asked once; a failed ask is asked again next time. */
  agentSelf(): Promise<AgentSelf> {
    if (!this.self) {
      const pending = (async () => {
        const path = '/v1/agent/self';
        const { body } = await this.getJson({ path }, 'describe itself');
        return readAgentSelf(this.shape(path), body);
      })();
      pending.catch(() => {
        if (this.self === pending) this.self = null;
      });
      this.self = pending;
    }
    return this.self;
  }

  /**
   * What a non-2xx answer means, in Consul's own words: 500 "No path to datacenter" is an unknown
   * datacenter (not-found), other 5xx the server's trouble, 4xx a refusal of what was asked.
   */
  failure(reply: HttpReply, what: string, agent?: string): OpsError {
    const where = this.whereOf(agent);
    const words = textOf(reply);
    if (reply.status === 500 && /no path to datacenter/i.test(reply.text)) {
      return new OpsError('not-found', `${where} has no path to that datacenter (${words})`, 'list the datacenters with "opsdeck services list" (the DATACENTER column) or pick another with --datacenter');
    }
    if (reply.status >= 500) return new OpsError('backend', `${where} failed to ${what} (HTTP ${reply.status}: ${words})`, "the message is Consul's own; see the agent's and the servers' logs");
    return new OpsError('failed', `${where} refused to ${what} (HTTP ${reply.status}: ${words})`, "the message is Consul's own");
  }

  private refusedByAcl(where: string, path: string, reply: HttpReply): OpsError {
    const words = textOf(reply);
    const at = path.split('?')[0];
    if (this.o.token === undefined) {
      return new OpsError('unauthorized', `${where} refused ${at} without an ACL token (HTTP 403: ${words})`, 'this Consul has ACLs on: set token in the profile, e.g. token: ${CONSUL_HTTP_TOKEN} or ${file:/run/secrets/consul-token}');
    }
    if (/acl not found/i.test(reply.text)) {
      return new OpsError('unauthorized', `${where} does not know the ACL token of the profile (HTTP 403: ${words})`, 'check the token in the profile (and the variable or file it is read from); it may have been deleted or have expired');
    }
    return new OpsError('unauthorized', `${where} refused ${at} to the profile's ACL token (HTTP 403: ${words})`, 'give the token a policy with that permission, or use a token that has it');
  }

  private client(url: string): HttpClient {
    let c = this.clients.get(url);
    if (!c) {
      c = new HttpClient({
        name: url === this.o.url ? 'Consul' : 'Consul agent',
        url,
        timeoutMs: this.o.timeoutMs,
        maxResponseBytes: this.o.maxResponseBytes,
        protocol: 'JSON',
        hints: {
          tooLarge: 'narrow the request (--datacenter, --filter, the prefix), or raise maxResponseBytes in the profile',
          unreachable: url === this.o.url ? 'check the url in the profile and that the Consul agent is up' : "agent calls go to the agent that owns the instance: map its node to a reachable agent URL under agents: in the profile",
          notProtocol: 'check that the url points at a Consul agent (port 8500), not a proxy page or another service',
        },
      });
      this.clients.set(url, c);
    }
    return c;
  }
}

/** Consul's error bodies are text/plain; quote them on one line, redacted. */
export function textOf(reply: HttpReply): string {
  return snippetOf(redactText(reply.text.trim()), 300);
}

/**
 * A header by name, matched case-insensitively: Consul writes Go's canonical form
 * (`X-Consul-Knownleader`), proxies may write any other, and HTTP says case does not matter.
 */
export function header(reply: Pick<HttpReply, 'headers'>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(reply.headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** X-Consul-Index as a number; null when absent or not a whole number (then a blocking loop starts over). */
export function consulIndex(reply: Pick<HttpReply, 'headers'>): number | null {
  const v = header(reply, 'X-Consul-Index');
  if (v === undefined || !/^\d{1,16}$/.test(v.trim())) return null;
  const n = Number(v.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Whether an answer without a token may have been emptied by ACLs: Consul filters list reads
 * silently for the anonymous token (no header says so then), but every answer names the default
 * ACL policy.
 */
export function anonymousDenied(http: ConsulHttp, reply: Pick<HttpReply, 'headers'>): boolean {
  return http.o.token === undefined && header(reply, 'X-Consul-Default-Acl-Policy')?.trim().toLowerCase() === 'deny';
}

/** Whether Consul left entries out of a list because the token may not read them. */
export function filteredByAcls(reply: Pick<HttpReply, 'headers'>): boolean {
  return header(reply, 'X-Consul-Results-Filtered-By-Acls')?.trim().toLowerCase() === 'true';
}
