import { createServer, type Server } from 'node:net';
import { OpsError } from '../../core/errors.js';
import { digestHex } from '../../lib/hash.js';

/**
 * A cross-process mutex made of a Linux abstract-namespace Unix socket. Binding the name is atomic
 * and exclusive, and the kernel frees it the instant its process dies, SIGKILL included, so there
 * is no stale lock file to detect or steal. Within one process, callers queue on a promise chain
 * so the socket is only contended between processes.
 */
export class SocketMutex {
  private address: string | null = null;
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly key: string, private readonly timeoutMs = 15_000) {}

  /** Whether no caller in this process holds the mutex or waits for it. */
  get idle(): boolean {
    return this.waiting === 0;
  }

  /** Runs fn while holding the mutex; the mutex is released even when fn throws. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => (done = resolve));
    this.waiting++;
    await previous;
    let server: Server | undefined;
    try {
      server = await this.bind();
      return await fn();
    } finally {
      if (server) await closeServer(server);
      this.waiting--;
      done();
    }
  }

  private async bind(): Promise<Server> {
    // Named on first use: hashing loads node:crypto, which a process that only reads never needs.
    const address = (this.address ??= `\0opsdeck-store-${digestHex('sha1', this.key).slice(0, 24)}`);
    const deadline = Date.now() + this.timeoutMs;
    let delay = 1;
    for (;;) {
      const server = createServer();
      const outcome = await new Promise<'ok' | 'busy' | Error>((resolve) => {
        server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' ? 'busy' : e));
        server.listen(address, () => resolve('ok'));
      });
      if (outcome === 'ok') {
        // An idle listening handle must not keep a finished CLI process alive.
        server.unref();
        return server;
      }
      if (outcome instanceof Error) {
        throw new OpsError('backend', `cannot lock the data dir: ${outcome.message}`, 'opsdeck needs Linux abstract sockets for the embedded store');
      }
      if (Date.now() > deadline) {
        throw new OpsError('timeout', `the data dir stayed busy for ${this.timeoutMs} ms`, 'another opsdeck process is holding it; retry, or check for a stuck process');
      }
      // Jittered backoff keeps 20 racing processes from retrying in lockstep.
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 20);
    }
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
