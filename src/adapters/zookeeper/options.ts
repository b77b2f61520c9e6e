import { OpsError } from '../../core/errors.js';

/** A profile entry `{type: zookeeper, connect, root, ...}`, validated. */
export interface ZkOptions {
  /** The connect string as given: `host:port[,host:port...][/chroot]`. */
  connect: string;
  /** host:port pairs, for the four-letter-word queries (`cons`). */
  servers: Array<{ host: string; port: number }>;
  /** Where the locks live; lock names are paths under it. */
  root: string;
  /** Session timeout of opsdeck's own reading session. */
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Bounds of one listing: znodes looked at, depth below the root, and time. */
  maxNodes: number;
  maxDepth: number;
  listTimeMs: number;
  /** Ask the servers `cons` to map sessions to client addresses (needs 4lw.commands.whitelist). */
  fourLetterWords: boolean;
  /** The backend column name (the profile entry's name). */
  name: string;
}

const num = (v: unknown, d: number, what: string): number => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new OpsError('config', `zookeeper: ${what} must be a positive number, not ${JSON.stringify(v)}`, 'fix the profile');
  return n;
};

export function parseZkOptions(o: Record<string, unknown>, name: string): ZkOptions {
  const connect = o.connect;
  if (typeof connect !== 'string' || connect.trim() === '') {
    throw new OpsError('config', 'zookeeper: give "connect: host:2181" (several servers: "h1:2181,h2:2181")', 'an optional /chroot may follow the last server');
  }
  const hosts = connect.trim().replace(/\/.*$/, '');
  const servers = hosts.split(',').map((hp) => {
    const m = /^\s*(\[[^\]]+\]|[^:\s]+)(?::(\d+))?\s*$/.exec(hp);
    if (!m) throw new OpsError('config', `zookeeper: "${hp}" in connect is not host:port`, 'write it as host:2181');
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 2181 };
  });
  const root = o.root === undefined ? '/locks' : o.root;
  if (typeof root !== 'string' || !/^\/([^/\0]+(\/[^/\0]+)*)?$/.test(root)) {
    throw new OpsError('config', `zookeeper: root must be an absolute znode path such as /locks, not ${JSON.stringify(root)}`, 'no trailing slash; "/" means the whole tree');
  }
  return {
    connect: connect.trim(),
    servers,
    root,
    sessionTimeoutMs: num(o.sessionTimeoutMs, 30_000, 'sessionTimeoutMs'),
    connectTimeoutMs: num(o.connectTimeoutMs, 3000, 'connectTimeoutMs'),
    commandTimeoutMs: num(o.commandTimeoutMs, 5000, 'commandTimeoutMs'),
    maxNodes: num(o.maxNodes, 5000, 'maxNodes'),
    maxDepth: num(o.maxDepth, 8, 'maxDepth'),
    listTimeMs: num(o.listTimeMs, 5000, 'listTimeMs'),
    fourLetterWords: o.fourLetterWords !== false,
    name,
  };
}
