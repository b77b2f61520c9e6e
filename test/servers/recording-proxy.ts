import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a real server that records every exchange, for tests that must see
 * what a client sent (which headers, which URL, how many logins) while the real server answers.
 * `rewrite` may change a request's headers before it is forwarded (a test corrupts a token so
 * the real server refuses it). Not a fake: every answer is the real server's.
 */
export interface Exchange {
  method: string;
  /** Path with the query string, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  answer: string;
}

export interface RecordingProxy {
  url: string;
  log: Exchange[];
  /** Runs before a request is forwarded; may change its headers, or do something first (awaited). */
  rewrite: ((method: string, url: string, headers: IncomingHttpHeaders) => void | Promise<void>) | null;
  stop(): Promise<void>;
}

/** `target` is the server's origin (scheme, host, port); the proxy keeps request paths as they are. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const t = new URL(target);
  const proxy: RecordingProxy = {
    url: '',
    log: [],
    rewrite: null,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: t.host };
      await proxy.rewrite?.(req.method ?? '', req.url ?? '', headers);
      const out = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
        const answer: Buffer[] = [];
        up.on('data', (c: Buffer) => answer.push(c));
        up.on('end', () => {
          const text = Buffer.concat(answer);
          proxy.log.push({ method: req.method ?? '', url: req.url ?? '', headers, body: body.toString('utf8'), status: up.statusCode ?? 0, answer: text.toString('utf8') });
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(text);
        });
      });
      out.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
