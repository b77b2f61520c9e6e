import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP server that misbehaves the way no real backend does on demand: it trickles a body byte
 * by byte, floods one, announces a Content-Length it never sends, or answers bodies of the wrong
 * shape. Behaviour is chosen per request by `answer` (changeable between tests). A legitimate fake:
 * it models hostile behaviour, not a backend's protocol.
 */
export type Hostile =
  /** Headers at once, then one space every `everyMs` (JSON-valid whitespace), for ever. */
  | { kind: 'trickle'; everyMs: number }
  /** Headers at once, then `chunkBytes` every `everyMs`, for ever (chunked). */
  | { kind: 'flood'; chunkBytes: number; everyMs: number }
  /** Headers with this Content-Length, then nothing at all. */
  | { kind: 'announce'; contentLength: number }
  /** A complete answer. */
  | { kind: 'body'; status?: number; body: string; contentType?: string }
  /** Never answers. */
  | { kind: 'silent' };

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HostileServer {
  url: string;
  /** What to do with a request; by default the same for every path. */
  answer: (req: SeenRequest) => Hostile;
  seen: SeenRequest[];
  /** Resolves when every connection the server accepted so far has closed. */
  allClosed(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHostile(answer: HostileServer['answer'] = () => ({ kind: 'silent' })): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const closed: Array<Promise<void>> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      hostile.seen.push(seen);
      behave(hostile.answer(seen), res);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    closed.push(new Promise((r) => s.once('close', () => (sockets.delete(s), r()))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const hostile: HostileServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer,
    seen: [],
    allClosed: async () => void (await Promise.all(closed)),
    stop: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  return hostile;
}

function behave(h: Hostile, res: ServerResponse): void {
  res.on('error', () => undefined);
  const forever = (write: () => void, everyMs: number) => {
    const t = setInterval(write, everyMs);
    res.socket?.once('close', () => clearInterval(t));
  };
  switch (h.kind) {
    case 'trickle':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return forever(() => res.write(' '), h.everyMs);
    case 'flood': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(h.chunkBytes, 0x20);
      return forever(() => res.write(chunk), h.everyMs);
    }
    case 'announce':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(h.contentLength) });
      res.flushHeaders();
      return;
    case 'body':
      res.writeHead(h.status ?? 200, { 'content-type': h.contentType ?? 'application/json' });
      res.end(h.body);
      return;
    case 'silent':
      return;
  }
}
