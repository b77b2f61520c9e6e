import type { Server as HttpServer } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { afterAll } from 'vitest';

/** Listens on a free loopback port and closes the server after the file's tests. */
export async function listen(server: HttpServer | NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  if ('closeAllConnections' in server) afterAll(() => server.closeAllConnections());
  return (server.address() as { port: number }).port;
}
