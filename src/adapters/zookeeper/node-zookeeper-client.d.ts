// node-zookeeper-client ships no types. This declares only what the adapter uses, including two
// internals of its connection manager (state and socket) needed to drop a connection without
// ending its session; see zk-client.ts.
declare module 'node-zookeeper-client' {
  export interface Stat {
    czxid: Buffer;
    mzxid: Buffer;
    ctime: Buffer;
    mtime: Buffer;
    version: number;
    cversion: number;
    ephemeralOwner: Buffer;
    dataLength: number;
    numChildren: number;
  }

  export interface ZkEvent {
    getType(): number;
    getPath(): string;
  }

  export interface ZkException extends Error {
    getCode(): number;
    getName(): string;
  }

  export type Watcher = (event: ZkEvent) => void;

  export interface ConnectionManagerInternals {
    state: number;
    /** The parsed connect string's servers, in the (shuffled) order they are tried. */
    servers: unknown[];
    socket?: { destroy(): void };
    connectTimeoutHandler?: ReturnType<typeof setTimeout> | null;
    setState(state: number): void;
    on(event: 'state', listener: (state: number) => void): void;
    removeListener(event: 'state', listener: (state: number) => void): void;
  }

  export interface Client {
    connect(): void;
    close(): void;
    getSessionId(): Buffer;
    getSessionTimeout(): number;
    once(event: 'connected' | 'disconnected' | 'expired' | 'authenticationFailed', listener: () => void): this;
    on(event: 'connected' | 'disconnected' | 'expired' | 'authenticationFailed', listener: () => void): this;
    removeAllListeners(): this;
    getChildren(path: string, watcher: Watcher | undefined, callback: (error: ZkException | null, children: string[], stat: Stat) => void): void;
    getData(path: string, watcher: Watcher | undefined, callback: (error: ZkException | null, data: Buffer | undefined, stat: Stat) => void): void;
    exists(path: string, watcher: Watcher | undefined, callback: (error: ZkException | null, stat: Stat | null) => void): void;
    create(path: string, data: Buffer | null, mode: number, callback: (error: ZkException | null, path: string) => void): void;
    setData(path: string, data: Buffer | null, version: number, callback: (error: ZkException | null, stat: Stat) => void): void;
    remove(path: string, version: number, callback: (error: ZkException | null) => void): void;
    connectionManager: ConnectionManagerInternals;
  }

  export interface ClientOptions {
    sessionTimeout?: number;
    spinDelay?: number;
    retries?: number;
  }

  export function createClient(connectionString: string, options?: ClientOptions): Client;

  export const CreateMode: { PERSISTENT: number; EPHEMERAL: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL_SEQUENTIAL: number };

  export const Exception: {
    NO_NODE: number;
    NODE_EXISTS: number;
    BAD_VERSION: number;
    NOT_EMPTY: number;
    CONNECTION_LOSS: number;
    SESSION_EXPIRED: number;
    NO_AUTH: number;
    AUTH_FAILED: number;
  };

  const zookeeper: {
    createClient: typeof createClient;
    CreateMode: typeof CreateMode;
    Exception: typeof Exception;
  };
  export default zookeeper;
}
