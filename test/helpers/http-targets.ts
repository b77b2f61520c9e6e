import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpTarget {
  /** `127.0.0.1:PORT`, as an instance is registered. */
  address: string;
  url: string;
  /** Requests answered so far. */
  served(): number;
  /** Requests that have arrived so far, answered or not. */
  received(): number;
  /** Connections open now: a load that has stopped has closed all of its own. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * A plain node HTTP server on a free loopback port that answers every request with a short body
 * after `delayMs`: the targets `bench` loads in tests, one of them deliberately slow.
 */
export async function startHttpTarget(delayMs = 0): Promise<HttpTarget> {
  let served = 0;
  let received = 0;
  let connections = 0;
  const server: Server = createServer((_req, res) => {
    received++;
    const answer = () => {
      served++;
      res.end('{"ok":true}');
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  server.on('connection', (socket) => {
    connections++;
    socket.once('close', () => connections--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/`,
    served: () => served,
    received: () => received,
    connections: () => connections,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
