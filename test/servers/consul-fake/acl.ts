/**
 * A small model of Consul's ACL system for the fake: tokens with prefix rules per resource
 * (the `key_prefix`/`service_prefix`/`node_prefix`/`agent_prefix` style; the longest matching
 * prefix wins, `write` implies `read`), resolved from `?token=`, `X-Consul-Token` or
 * `Authorization: Bearer`, in that order, as agent/http.go parseTokenInternal does. Denials carry
 * the texts of acl/errors.go: an unknown secret is "ACL not found", a missing permission
 * "Permission denied: token with AccessorID '…' lacks permission 'key:read' on \"app/x\"".
 */
import type { IncomingMessage } from 'node:http';

export type Access = 'read' | 'write' | 'deny';
export type Resource = 'key' | 'service' | 'node' | 'agent' | 'operator';

export interface AclTokenSpec {
  accessorId: string;
  secretId: string;
  /** Prefix → access, per resource; "" matches everything. */
  rules: Partial<Record<Resource, Record<string, Access>>>;
}

export interface AclConfig {
  /** acl.default_policy: what a resource no rule matches gets. */
  defaultPolicy: 'allow' | 'deny';
  tokens: AclTokenSpec[];
  /** The anonymous token's rules (used when a request carries no token). */
  anonymous?: AclTokenSpec['rules'];
}

/** Consul's fixed accessor ID of the anonymous token (structs.ACLTokenAnonymousID). */
export const ANONYMOUS_ACCESSOR = '00000000-0000-0000-0000-000000000002';

export type TokenSource = 'query' | 'x-consul-token' | 'bearer' | null;

export interface TokenRef {
  secret: string | null;
  via: TokenSource;
}

export function tokenOf(req: IncomingMessage, url: URL): TokenRef {
  const q = url.searchParams.get('token');
  if (q) return { secret: q, via: 'query' };
  const h = req.headers['x-consul-token'];
  if (typeof h === 'string' && h !== '') return { secret: h, via: 'x-consul-token' };
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const parts = auth.split(' ');
    // Only the Bearer scheme counts; anything after the first word of the value is ignored.
    if (parts.length > 1 && parts[0] === 'Bearer') {
      const value = parts.slice(1).join(' ').trim().split(' ')[0]!.trim();
      if (value) return { secret: value, via: 'bearer' };
    }
  }
  return { secret: null, via: null };
}

export class AclDenied extends Error {
  constructor(message: string) {
    super(message);
  }
}

export interface Authorizer {
  accessorId: string;
  allowed(resource: Resource, name: string, level: 'read' | 'write'): boolean;
  /** Throws the 403 Consul gives when the permission is missing. */
  require(resource: Resource, name: string, level: 'read' | 'write'): void;
}

/** Resolves a token to an authorizer; throws AclDenied("ACL not found") for an unknown secret. */
export function authorize(config: AclConfig | undefined, token: TokenRef): Authorizer {
  if (!config) {
    return { accessorId: ANONYMOUS_ACCESSOR, allowed: () => true, require: () => undefined };
  }
  let spec: AclTokenSpec | undefined;
  if (token.secret === null) {
    spec = { accessorId: ANONYMOUS_ACCESSOR, secretId: 'anonymous', rules: config.anonymous ?? {} };
  } else {
    spec = config.tokens.find((t) => t.secretId === token.secret);
    if (!spec) throw new AclDenied('ACL not found');
  }
  const allowed = (resource: Resource, name: string, level: 'read' | 'write'): boolean => {
    const rules = spec!.rules[resource] ?? {};
    let best: string | undefined;
    for (const prefix of Object.keys(rules)) {
      if (name.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
    }
    if (best === undefined) return config.defaultPolicy === 'allow';
    const access = rules[best]!;
    return access === 'write' || (access === 'read' && level === 'read');
  };
  return {
    accessorId: spec.accessorId,
    allowed,
    require(resource, name, level) {
      if (!allowed(resource, name, level)) {
        throw new AclDenied(`Permission denied: token with AccessorID '${spec!.accessorId}' lacks permission '${resource}:${level}' on "${name}"`);
      }
    },
  };
}
