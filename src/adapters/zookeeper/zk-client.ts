import zookeeper, { type Client, type Stat, type Watcher, type ZkException } from 'node-zookeeper-client';
import { OpsError } from '../../core/errors.js';

/** The facts of a znode's Stat that lock forensics needs, as plain numbers. */
export interface NodeStat {
  czxid: bigint;
  ctime: number;
  /** When the data was last written (ms since the epoch). */
  mtime: number;
  version: number;
  /** 0n for persistent nodes. */
  ephemeralOwner: bigint;
  numChildren: number;
}

export const sessionHex = (id: bigint): string => `0x${id.toString(16)}`;

// Connection-manager states of node-zookeeper-client (lib/ConnectionManager.js).
const CONNECTING = 1;
const CLOSING = -1;
const CLOSED = -2;

function toStat(s: Stat): NodeStat {
  return {
    czxid: s.czxid.readBigInt64BE(0),
    ctime: Number(s.ctime.readBigInt64BE(0)),
    mtime: Number(s.mtime.readBigInt64BE(0)),
    version: s.version,
    ephemeralOwner: s.ephemeralOwner.readBigInt64BE(0),
    numChildren: s.numChildren,
  };
}

export const codeOf = (e: unknown): number | null => (e && typeof (e as ZkException).getCode === 'function' ? (e as ZkException).getCode() : null);

/** Maps a client error to an OpsError kind at the adapter boundary. */
export function mapZkError(e: unknown, where: string): OpsError {
  if (e instanceof OpsError) return e;
  const code = codeOf(e);
  const E = zookeeper.Exception;
  if (code === E.CONNECTION_LOSS || code === E.SESSION_EXPIRED) {
    return new OpsError('unreachable', `lost the connection to ZooKeeper at ${where}`, 'check that the server is up, then try again');
  }
  if (code === E.NO_AUTH || code === E.AUTH_FAILED) {
    return new OpsError('unauthorized', `ZooKeeper at ${where} refused access (${(e as ZkException).getName()})`, 'the znode ACL does not allow opsdeck; use credentials that may read it');
  }
  if (code === null && e instanceof Error && /path|node name/i.test(e.message)) {
    return new OpsError('usage', `not a valid lock name for ZooKeeper: ${e.message}`, 'names are paths under the root: no empty parts, no trailing slash');
  }
  return new OpsError('backend', `ZooKeeper at ${where}: ${e instanceof Error ? e.message : String(e)}`, 'see the server log');
}

/** `fn` with every client error mapped at the adapter boundary (see mapZkError). */
export function guarded<A extends unknown[], R>(where: string, fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      throw mapZkError(e, where);
    }
  };
}

/**
 * One ZooKeeper session over node-zookeeper-client, with promises, a time bound on every call
 * (the library queues requests forever while disconnected), and two ways to end: close (ends the
 * session, so its ephemeral nodes go) and abandon (drops the connection but leaves the session to
 * expire on the server, which is how an opsdeck lease outlives the command that took it).
 */
export class ZkSession {
  private ended = false;

  private constructor(private readonly client: Client, readonly where: string, private readonly commandTimeoutMs: number) {
    client.on('expired', () => (this.ended = true));
  }

  static async open(connect: string, o: { sessionTimeoutMs: number; connectTimeoutMs: number; commandTimeoutMs: number }): Promise<ZkSession> {
    const client = zookeeper.createClient(connect, { sessionTimeout: o.sessionTimeoutMs, spinDelay: 200 });
    const session = new ZkSession(client, connect, o.commandTimeoutMs);
    // The library gives each server sessionTimeout / servers to accept TCP, and none to answer the
    // handshake, so one hung or unreachable member of an ensemble would use up all of
    // connectTimeoutMs when it happens to be tried first. Give each server its share instead: a
    // socket that has not finished the handshake in time is dropped, and the library moves on.
    const cm = client.connectionManager;
    const share = Math.max(250, Math.floor(o.connectTimeoutMs / Math.max(1, cm.servers.length)));
    let slice: ReturnType<typeof setTimeout> | undefined;
    const onState = (state: number) => {
      clearTimeout(slice);
      if (state === CONNECTING) slice = setTimeout(() => cm.socket?.destroy(), share);
    };
    cm.on('state', onState);
    const stopSlicing = () => {
      clearTimeout(slice);
      cm.removeListener('state', onState);
    };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        stopSlicing();
        session.hardClose();
        reject(new OpsError('unreachable', `cannot reach ZooKeeper at ${connect} within ${o.connectTimeoutMs} ms`, 'check the connect string in the profile and that the server is up'));
      }, o.connectTimeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        stopSlicing();
        resolve();
      });
      client.once('authenticationFailed', () => {
        clearTimeout(timer);
        stopSlicing();
        session.hardClose();
        reject(new OpsError('unauthorized', `ZooKeeper at ${connect} refused the session`, 'check the credentials'));
      });
      client.connect();
    });
    return session;
  }

  /** False once the session expired or was closed; a new one must be opened. */
  get usable(): boolean {
    return !this.ended;
  }

  get sessionId(): bigint {
    return this.client.getSessionId().readBigInt64BE(0);
  }

  /** The timeout the server granted (it clamps the request to its min/max session timeout). */
  get timeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  private call<T>(what: string, start: (done: (e: ZkException | null, v?: T) => void) => void): Promise<T> {
    if (this.ended) return Promise.reject(new OpsError('unreachable', `the ZooKeeper session to ${this.where} has ended`, 'try again'));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new OpsError('timeout', `ZooKeeper at ${this.where} did not answer ${what} within ${this.commandTimeoutMs} ms`, 'check that the server is up and reachable'));
      }, this.commandTimeoutMs);
      try {
        start((e, v) => {
          clearTimeout(timer);
          if (e) reject(e);
          else resolve(v as T);
        });
      } catch (e) {
        clearTimeout(timer);
        reject(e);
      }
    });
  }

  private orNull<T>(p: Promise<T>): Promise<T | null> {
    return p.catch((e: unknown) => {
      if (codeOf(e) === zookeeper.Exception.NO_NODE) return null;
      throw e;
    });
  }

  /** Children of a znode, or null when it does not exist. */
  children(path: string, watcher?: Watcher): Promise<string[] | null> {
    return this.orNull(this.call<string[]>(`getChildren ${path}`, (done) => this.client.getChildren(path, watcher, (e, c) => done(e, c))));
  }

  /** Data and stat of a znode, or null when it does not exist. */
  read(path: string, watcher?: Watcher): Promise<{ data: Buffer; stat: NodeStat } | null> {
    return this.orNull(
      this.call(`getData ${path}`, (done) => this.client.getData(path, watcher, (e, d, s) => done(e, e ? undefined : { data: d ?? Buffer.alloc(0), stat: toStat(s) }))),
    );
  }

  exists(path: string, watcher?: Watcher): Promise<NodeStat | null> {
    return this.call(`exists ${path}`, (done) => this.client.exists(path, watcher, (e, s) => done(e, s ? toStat(s) : null)));
  }

  create(path: string, data: Buffer, mode: number): Promise<string> {
    return this.call(`create ${path}`, (done) => this.client.create(path, data, mode, (e, p) => done(e, p)));
  }

  /** Creates the node unless it exists; false when it did (ZooKeeper's own create-if-absent). */
  createIfAbsent(path: string, data: Buffer, mode: number): Promise<boolean> {
    return this.create(path, data, mode).then(
      () => true,
      (e: unknown) => {
        if (codeOf(e) === zookeeper.Exception.NODE_EXISTS) return false;
        throw e;
      },
    );
  }

  /** Creates the persistent parents of a path (Curator makes them as containers; either works). */
  async mkdirs(path: string): Promise<void> {
    let at = '';
    for (const part of path.split('/').filter(Boolean)) {
      at += `/${part}`;
      await this.create(at, Buffer.alloc(0), zookeeper.CreateMode.PERSISTENT).catch((e: unknown) => {
        if (codeOf(e) !== zookeeper.Exception.NODE_EXISTS) throw e;
      });
    }
  }

  /** Version-checked setData; false when the node changed or is gone. */
  setData(path: string, data: Buffer, version: number): Promise<boolean> {
    return this.call<boolean>(`setData ${path}`, (done) => this.client.setData(path, data, version, (e) => done(e, true))).catch((e: unknown) => {
      if (codeOf(e) === zookeeper.Exception.BAD_VERSION || codeOf(e) === zookeeper.Exception.NO_NODE) return false;
      throw e;
    });
  }

  /** Version-checked delete; false when the node changed or is already gone. */
  remove(path: string, version: number): Promise<boolean> {
    return this.call<boolean>(`delete ${path}`, (done) => this.client.remove(path, version, (e) => done(e, true))).catch((e: unknown) => {
      if (codeOf(e) === zookeeper.Exception.BAD_VERSION || codeOf(e) === zookeeper.Exception.NO_NODE) return false;
      throw e;
    });
  }

  /** Ends the session (its ephemeral nodes are deleted), waiting at most a moment for the server. */
  async close(waitMs = 1000): Promise<void> {
    if (this.ended) return this.hardClose();
    this.ended = true;
    const cm = this.client.connectionManager;
    await new Promise<void>((resolve) => {
      const onState = (s: number) => {
        if (s === CLOSED) finish();
      };
      const timer = setTimeout(() => finish(), waitMs);
      const finish = () => {
        clearTimeout(timer);
        cm.removeListener('state', onState);
        resolve();
      };
      cm.on('state', onState);
      this.client.close();
    });
    this.hardClose();
  }

  /**
   * Drops the connection without a closeSession request: the server keeps the session, and with it
   * the ephemeral nodes, until the session timeout runs out. Relies on the connection manager not
   * reconnecting from the CLOSING state.
   */
  abandon(): void {
    this.ended = true;
    this.hardClose();
  }

  private hardClose(): void {
    this.ended = true;
    const cm = this.client.connectionManager;
    if (cm.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler);
    if (cm.state !== CLOSED) cm.setState(CLOSING);
    cm.socket?.destroy();
    this.client.removeAllListeners();
  }
}
