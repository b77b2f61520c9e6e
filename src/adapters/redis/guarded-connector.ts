import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { AbstractConnector } from 'ioredis';

/** The part of a client's options that ioredis hands its Connector and a TCP connection reads. */
interface ConnectorOptions {
  host?: string;
  port?: number;
  family?: number;
  tls?: ConnectionOptions;
  disconnectTimeout?: number;
}

/** A reply ioredis' parser could not read: the server does not speak RESP, or speaks it absurdly. */
export class RedisProtocolError extends Error {
  constructor(cause: unknown) {
    super(`a reply that is not the Redis protocol (${(cause as Error)?.message ?? String(cause)})`);
    this.name = 'RedisProtocolError';
  }
}

/**
 * ioredis' own TCP/TLS connector with two repairs, used for every client opsdeck opens (cluster
 * nodes too, through redisOptions):
 *
 * - ioredis parses replies inside the socket's 'data' listener, and a reply the parser cannot hold
 *   (`*99999999999` asks for an array of 10^11 items) throws there. An exception thrown by an event
 *   listener escapes to the process, which dies with a minified stack. Here it becomes an error of
 *   this one connection: ioredis fails the waiting commands and reconnects, as after a lost
 *   connection, and the adapter maps the error to exit 3.
 * - On disconnect ioredis ends the socket and arms a timer (2 s) that it clears only on a 'close'
 *   still to come. A socket that already closed (a refused connection) never sends one, so the timer
 *   kept a one-shot run alive; a closed socket needs no ending.
 */
export class GuardedConnector extends AbstractConnector {
  private readonly options: ConnectorOptions;

  constructor(options: unknown) {
    const o = options as ConnectorOptions;
    super(o.disconnectTimeout ?? 2000);
    this.options = o;
  }

  connect(): Promise<Socket> {
    this.connecting = true;
    // A tick later, like ioredis' connector, so a disconnect() called right after connect() wins.
    return new Promise((resolve, reject) => {
      process.nextTick(() => {
        if (!this.connecting) return reject(new Error('Connection is closed.'));
        const { host, port, family, tls } = this.options;
        let stream: Socket;
        try {
          const where = { host: host ?? 'localhost', port: port ?? 6379, ...(family ? { family } : {}) };
          stream = tls ? tlsConnect({ ...where, ...tls } as ConnectionOptions) : netConnect(where);
        } catch (e) {
          return reject(e);
        }
        this.stream = stream;
        stream.once('error', (err) => {
          this.firstError = err;
        });
        guardDataListeners(stream);
        resolve(stream);
      });
    });
  }

  override disconnect(): void {
    const stream = this.stream as Socket | undefined;
    if (stream && (stream.destroyed || stream.closed)) {
      this.connecting = false;
      return;
    }
    super.disconnect();
  }
}

/** Turns an exception thrown by a 'data' listener of `stream` into the destruction of that stream. */
function guardDataListeners(stream: Socket): void {
  const emit = stream.emit as (this: Socket, event: string | symbol, ...args: unknown[]) => boolean;
  stream.emit = function (this: Socket, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data') return emit.call(this, event, ...args);
    try {
      return emit.call(this, event, ...args);
    } catch (e) {
      this.destroy(new RedisProtocolError(e));
      return true;
    }
  } as Socket['emit'];
}
