import { CONFIG_TYPES } from '../../core/types.js';
import { defineOptions, duration, int, oneOf, str, strMap, urlWithAuth } from '../kit/options.js';

/** The options of a `{type: consul}` entry (under `registry:` or `config:`). Loads no client library. */
export const CONSUL_OPTIONS = defineOptions(
  { type: 'consul', readme: 'Consul' },
  {
    /** The agent opsdeck reads from (any agent of the cluster; its datacenter is the default one). */
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://consul.service:8500', hint: 'a Consul agent\'s HTTP address, usually port 8500' }),
    /** The ACL token, sent only as the X-Consul-Token header; write ${CONSUL_HTTP_TOKEN} or ${file:...}. */
    token: str({ nonEmpty: true, hint: 'write the token as ${CONSUL_HTTP_TOKEN} or ${file:/run/secrets/consul-token}' }),
    /** The datacenter a command uses when --datacenter is not given (default: the agent's own). */
    datacenter: str({ nonEmpty: true }),
    /**
     * Agent calls (maintenance, deregister, heartbeats, re-registration) go to the agent that owns
     * the instance: by default its node's address with the port of `url`. Where node addresses are
     * not reachable from here, map node names to agent URLs.
     */
    agents: strMap({ hint: 'a mapping of node name to agent URL, e.g. node-2: http://10.0.1.12:8500' }),
    /** The port of the other agents (default: the port of `url`, else 8500). */
    agentPort: int({ max: 65_535 }),
    /** Config keys live under this KV prefix (`config/` for Spring Cloud Consul); listings read only under it and writes outside it are refused. */
    prefix: str({ default: '' }),
    /** The type of a key whose name has no yaml/json/properties extension (Spring's `data` keys hold YAML). */
    defaultType: oneOf(CONFIG_TYPES, { default: 'text' }),
    /** Per request (connect, headers and body together); a blocking query adds its wait to this. */
    timeoutMs: duration({ bareMs: true, default: 10_000 }),
    /** How long a blocking query (watch, live panes) may be held by the server; Consul caps it at 10 minutes. */
    blockingWaitMs: duration({ bareMs: true, min: 1000, max: 600_000, default: 300_000, hint: 'Consul holds a blocking query at most 10 minutes' }),
    /** The least time between two blocking queries of one loop when the first came back at once (Consul asks clients to rate-limit). */
    blockingMinGapMs: duration({ bareMs: true, min: 0, default: 1000 }),
    /** Answers bigger than this are refused instead of filling memory. */
    maxResponseBytes: int({ min: 1024, default: 32 * 1024 * 1024 }),
    /** Listings stop after this many services per datacenter (and say so). */
    maxServices: int({ default: 20_000 }),
    /** Config listings stop after this many keys (and say so). */
    maxConfigs: int({ default: 20_000 }),
    /** Requests in flight at once when a listing reads each service's health. */
    concurrency: int({ max: 64, default: 8 }),
    /** How long after its last heartbeat Consul removes an instance registered with --ephemeral (Consul raises anything below 1 minute to 1 minute). */
    ephemeralDeregisterAfterMs: duration({ bareMs: true, default: 60_000 }),
  },
  (o, x) => {
    if (o.url.username !== undefined) x.fail('url', 'Consul takes no user:password in the url; its ACL token goes under token', 'move the secret to token: ${CONSUL_HTTP_TOKEN}');
    const agents: Record<string, string> = {};
    for (const [node, url] of Object.entries(o.agents ?? {})) {
      if (!/^https?:\/\/[^/?#]+\/?$/i.test(url)) x.fail(['agents', node], `agents.${node} must be an http:// or https:// URL of an agent (no path), not "${url}"`, 'for example node-2: http://10.0.1.12:8500');
      agents[node] = url.replace(/\/+$/, '');
    }
    return { ...o, url: o.url.url, agents };
  },
);

/** A `{type: consul}` entry, validated, with the backend column name. */
export type ConsulOptions = ReturnType<typeof CONSUL_OPTIONS.read> & { name: string };

export function parseConsulOptions(o: Record<string, unknown>, name: string): ConsulOptions {
  return { ...CONSUL_OPTIONS.read(o), name };
}
