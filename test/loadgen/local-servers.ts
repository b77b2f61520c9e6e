import type { Server as HttpServer } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';
import { afterAll } from 'vitest';

/** Listens on a free loopback port and closes the server after the file's tests. */
export async function listen(server: HttpServer | NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  if ('closeAllConnections' in server) afterAll(() => server.closeAllConnections());
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
