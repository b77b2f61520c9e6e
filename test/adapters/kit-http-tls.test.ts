import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/adapters/kit/http.js';
import { OpsError } from '../../src/core/errors.js';

/**
 * The kit's HTTP client over TLS with a server certificate of its own CA (a Kubernetes API server's
 * usual case): refused by default, trusted with that CA given as PEM text, accepted unverified only
 * with `insecure`. The CA and certificate are made for the test by openssl.
 */

let dir: string;
let server: Server;
let url: string;
let ca: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-cluster-ca');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext');
  ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')) }, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"kind":"ServiceList","items":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

async function get(tls?: { ca?: string; insecure?: boolean }) {
  const c = new HttpClient({ name: 'Kubernetes API', url, timeoutMs: 5000, maxResponseBytes: 65536, ...(tls ? { tls } : {}) });
  try {
    return await c.request({ path: '/api/v1/namespaces/shop/services' });
  } finally {
    await c.close();
  }
}

describe('TLS with a cluster CA', () => {
  it('an unknown CA is unreachable (exit 3), naming the server and the certificate problem', async () => {
    const e = await get().then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(OpsError);
    expect((e as OpsError).kind).toBe('unreachable');
    expect((e as OpsError).message).toMatch(/^Kubernetes API at https:\/\/127\.0\.0\.1:\d+ is unreachable: .*(certificate|issuer)/i);
  });

  it('the CA given as PEM text is trusted', async () => {
    expect((await get({ ca })).status).toBe(200);
  });

  it('insecure skips verification', async () => {
    expect((await get({ insecure: true })).status).toBe(200);
  });
});
