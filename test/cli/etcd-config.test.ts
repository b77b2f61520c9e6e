import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, opsdeck, sandbox, writeProfileFile } from '../helpers/cli.js';
import { EtcdRaw } from '../adapters/etcd-support.js';
import { startEtcd, type EtcdServer } from '../servers/etcd-server.js';

/**
 * The built binary against a real etcd 3.4 as config centre and registry: history from MVCC
 * revisions, a rollback that compares and sets, a watch that prints what another client wrote and
 * exits 130 on Ctrl-C, and the registry's layouts in `services list`.
 */
let server: EtcdServer;
let raw: EtcdRaw;
let box: ReturnType<typeof sandbox>;

beforeAll(async () => {
  server = await startEtcd();
  raw = new EtcdRaw(server);
  box = sandbox();
  writeProfileFile(
    box.env,
    `profiles:\n  e:\n    config: {type: etcd, url: "${server.url}", prefix: /app/}\n    registry: {type: etcd, url: "${server.url}", prefixes: {"/microservices/": kratos, "zero/": go-zero}}\n`,
  );
});
afterAll(async () => {
  box?.cleanup();
  await server?.stop();
});

const run = (...args: string[]) => opsdeck(box.env, ['--profile', 'e', ...args]);

describe('opsdeck CLI on etcd config and registry', () => {
  it('config history lists the kept revisions; diff and rollback read them; a stale rollback is refused', async () => {
    const revs: number[] = [];
    {
      for (const v of ['port: 1\n', 'port: 2\n', 'port: 3\n']) revs.push(await raw.put('/app/orders.yaml', v));
      const history = run('config', 'history', '/app/orders.yaml', '-o', 'json');
      expect(history.code).toBe(0);
      expect(history.json().complete).toBe(true);
      expect(history.json().entries.map((e: { id: string; op: string }) => [e.id, e.op])).toEqual([
        [String(revs[2]), 'update'],
        [String(revs[1]), 'update'],
        [String(revs[0]), 'create'],
      ]);
      const diff = run('config', 'diff', '/app/orders.yaml', '--from', String(revs[0]), '--to', String(revs[2]), '-o', 'json');
      expect(diff.code).toBe(0);
      expect(JSON.stringify(diff.json())).toContain('port: 3');

      const stale = run('config', 'rollback', '/app/orders.yaml', '--to', String(revs[0]), '--if-match', String(revs[1]), '--yes');
      expect(stale.code).toBe(1);
      expect(stale.stderr).toMatch(/mod_revision/);
      expect((await raw.get('/app/orders.yaml'))!.value).toBe('port: 3\n');

      const back = run('config', 'rollback', '/app/orders.yaml', '--to', String(revs[0]), '--yes', '-o', 'json');
      expect(back.code).toBe(0);
      expect(back.json()).toMatchObject({ content: 'port: 1\n', restored: String(revs[0]) });
      const now = await raw.get('/app/orders.yaml');
      expect(now).toMatchObject({ value: 'port: 1\n', version: 4 });

      // Compaction removes the older revisions: history says so on stderr and still exits 0.
      await raw.compact(now!.modRevision);
      const cut = run('config', 'history', '/app/orders.yaml', '-o', 'json');
      expect(cut.code).toBe(0);
      expect(cut.json().entries).toHaveLength(1);
      expect(cut.json()).toMatchObject({ complete: false, incomplete: expect.stringMatching(/compacted the revisions before \d+: the 3 older versions/) });
      expect(cut.stderr).toMatch(/history of \/app\/orders\.yaml is incomplete: etcd compacted the revisions before \d+: the 3 older versions/);
    }
  }, 120_000);

  it('config watch prints a change another client makes, and exits 130 on Ctrl-C', async () => {
    await raw.put('/app/watched.yaml', 'w: 0\n');
    const child = spawn(process.execPath, [BIN, '--profile', 'e', 'config', 'watch', '/app/watched.yaml', '-o', 'json'], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // The watch starts after the process has read the key; write until it reports one of the writes.
    const deadline = Date.now() + 20_000;
    let n = 0;
    while (!stdout.includes('\n') && Date.now() < deadline) {
      await raw.put('/app/watched.yaml', `w: ${++n}\n`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const first = JSON.parse(stdout.split('\n')[0]!) as { op: string; content: string; dataId: string };
    expect(first).toMatchObject({ op: 'update', dataId: '/app/watched.yaml' });
    expect(first.content).toMatch(/^w: [1-9]\d*\n$/);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  }, 40_000);

  it('services list shows the layout of each service and the lease in services show', async () => {
    // Long leases: nothing keeps them alive here, and each CLI run takes seconds on a loaded machine.
    const lease = await raw.grant(300);
    await raw.put('/microservices/helloworld/i1', JSON.stringify({ id: 'i1', name: 'helloworld', version: 'v1', metadata: {}, endpoints: ['http://10.2.0.1:8000'] }), lease);
    const zl = await raw.grant(300);
    await raw.put(`zero/product.rpc/${zl}`, '10.2.0.2:8080', zl);
    const listed = run('services', 'list', '-o', 'json');
    expect(listed.code).toBe(0);
    expect(listed.json().services.map((s: { name: string; layout: string; prefix: string }) => [s.prefix, s.name, s.layout])).toEqual([
      ['/microservices/', 'helloworld', 'kratos'],
      ['zero/', 'product.rpc', 'go-zero'],
    ]);
    const narrowed = run('services', 'list', '--prefix', 'zero/', '-o', 'json');
    expect(narrowed.json().services.map((s: { name: string }) => s.name)).toEqual(['product.rpc']);
    const table = run('services', 'list', '-o', 'table');
    expect(table.stdout).toMatch(/LAYOUT/);
    const shown = run('services', 'show', 'helloworld', '-o', 'table');
    expect(shown.stdout).toMatch(/layout kratos/);
    expect(shown.stdout).toMatch(/LEASE LEFT/);
    const drain = run('instances', 'drain', 'helloworld', 'i1');
    expect(drain.code).toBe(2);
    expect(drain.stderr).toMatch(/drain/);
  }, 120_000);
});
