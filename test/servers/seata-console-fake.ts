import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A stand-in for the Seata 2.x console (no runnable Seata server here: the exec jar is not on Maven
 * Central). It answers from test/fixtures/seata-console/ with the controllers' rules: login mints a
 * JWT, every query needs `Authorization: Bearer <jwt>` of a live token (else Spring's 401 body),
 * pageNum 1–999 and pageSize 1–100 (else 500), filters as the DB-store console services apply them.
 */
const FIXTURES = join(__dirname, '../fixtures/seata-console');
const FIXTURE_NOW = 1727776800000;
const load = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

export type Fault = 'none' | '500' | 'garbage' | 'huge' | 'code-500';

export interface FakeConsole {
  url: string;
  /** Requests seen, in order: method, path with query, Authorization header. */
  log: Array<{ method: string; path: string; query: URLSearchParams; auth: string | undefined }>;
  logins(): number;
  /** How many queries a token answers before it "expires" (Infinity: never). */
  tokenUses: number;
  /** Seconds until a minted token's exp claim. */
  tokenTtlSec: number;
  fault: Fault;
  stop(): Promise<void>;
}

export async function startFakeConsole(): Promise<FakeConsole> {
  const shift = Date.now() - FIXTURE_NOW;
  const sessions = shiftTimes<Record<string, unknown>>(JSON.parse(load('global-sessions.json')), shift);
  const locks = shiftTimes<Record<string, unknown>>(JSON.parse(load('global-locks.json')), shift);
  const tokens = new Map<string, number>();
  let minted = 0;
  const fake: FakeConsole = {
    url: '',
    log: [],
    logins: () => minted,
    tokenUses: Infinity,
    tokenTtlSec: 1800,
    fault: 'none',
    stop: () => new Promise((r) => server.close(() => r())),
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
  const springError = (res: ServerResponse, status: 401 | 500, path: string) => send(res, status, load(`error-${status}.json`).replace('{{PATH}}', path));

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    fake.log.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, auth });
    let body = '';
    for await (const c of req) body += c;

    if (req.method === 'POST' && u.pathname === '/api/v1/auth/login') {
      let user: { username?: string; password?: string } = {};
      try {
        user = JSON.parse(body);
      } catch {
        // Spring would answer 400; the adapter never sends this.
      }
      if (user.username !== 'seata' || user.password !== 's3cret-pw') return send(res, 200, load('login-failed.json'));
      minted++;
      const jwt = mintJwt(`seata-${minted}`, Math.floor(Date.now() / 1000) + fake.tokenTtlSec);
      tokens.set(jwt, fake.tokenUses);
      return send(res, 200, load('login-ok.json').replace('{{JWT}}', jwt), { authorization: `Bearer ${jwt}` });
    }

    const jwt = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    const left = jwt === null ? undefined : tokens.get(jwt);
    if (left === undefined || left <= 0) return springError(res, 401, u.pathname);
    tokens.set(jwt!, left - 1);

    if (fake.fault === '500') return springError(res, 500, u.pathname);
    if (fake.fault === 'garbage') return send(res, 502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
    if (fake.fault === 'code-500') return send(res, 200, JSON.stringify({ code: '500', message: 'Server error' }));
    if (fake.fault === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      req.socket.on('close', () => (sent = Infinity));
      return pump();
    }

    const q = u.searchParams;
    const pageNum = Number(q.get('pageNum') ?? 0);
    const pageSize = Number(q.get('pageSize') ?? 0);
    if (!(pageNum >= 1 && pageNum <= 999) || !(pageSize >= 1 && pageSize <= 100)) return springError(res, 500, u.pathname);
    const eq = (field: string, param: string) => (item: Record<string, unknown>) => !q.get(param) || String(item[field]) === q.get(param);

    let items: Array<Record<string, unknown>>;
    if (u.pathname === '/api/v1/console/globalSession/query') {
      items = sessions.filter(eq('xid', 'xid')).filter(eq('applicationId', 'applicationId')).filter(eq('status', 'status')).filter(eq('transactionName', 'transactionName'));
      if (q.get('withBranch') !== 'true') items = items.map((s) => ({ ...s, branchSessionVOs: null }));
    } else if (u.pathname === '/api/v1/console/globalLock/query') {
      items = locks.filter(eq('xid', 'xid')).filter(eq('tableName', 'tableName')).filter(eq('pk', 'pk')).filter(eq('resourceId', 'resourceId'));
    } else {
      return springError(res, 500, u.pathname);
    }
    const page = JSON.parse(load('page-result-empty.json'));
    Object.assign(page, { data: items.slice((pageNum - 1) * pageSize, pageNum * pageSize), total: items.length, pages: Math.ceil(items.length / pageSize), pageNum, pageSize });
    return send(res, 200, JSON.stringify(page));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** A JWT of the shape the console mints (HS256 header, sub, auth, exp); the signature is not checked by clients. */
function mintJwt(sub: string, exp: number): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256' })}.${b64({ sub, auth: '', exp })}.${Buffer.from(`sig-${sub}`).toString('base64url')}`;
}

function shiftTimes<T>(items: T[], shift: number): T[] {
  const fix = (o: Record<string, unknown>) => {
    for (const k of ['beginTime', 'gmtCreate', 'gmtModified']) if (typeof o[k] === 'number' && (o[k] as number) > 0) o[k] = (o[k] as number) + shift;
    if (Array.isArray(o.branchSessionVOs)) for (const b of o.branchSessionVOs) fix(b);
  };
  for (const i of items) fix(i as Record<string, unknown>);
  return items;
}
