import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpTarget {
  /** `127.0.0.1:PORT`, as an instance is registered. */
  address: string;
  url: string;
  /** Requests answered so far. */
  served(): number;
  stop(): Promise<void>;
}

/**
 * A plain node HTTP server on a free loopback port that answers every request with a short body
 * after `delayMs`: the targets `bench` loads in tests, one of them deliberately slow.
 */
export async function startHttpTarget(delayMs = 0): Promise<HttpTarget> {
  let served = 0;
  const server: Server = createServer((_req, res) => {
    const answer = () => {
      served++;
      res.end('{"ok":true}');
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/`,
    served: () => served,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
