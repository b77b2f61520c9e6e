import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR, requestsSince, startAclFake, waitUntil } from '../adapters/consul-support.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/one-line-error.js';
import type { ConsulFake } from '../servers/consul-fake.js';
import { seedConsulScenario, type ConsulScenario } from '../servers/consul-fake/scenario.js';

/**
 * The Consul backend through the built binary, against the Consul FAKE (test/servers/consul-fake.ts):
 * no Consul server can run on this machine. The fake runs in this process, so the binary runs
 * asynchronously. The profile reads the ACL token from ${CONSUL_TOKEN} (registry) and from a
 * ${file:…} (config), as a user would keep it out of the file.
 */

let box: ReturnType<typeof sandbox>;
let fake: ConsulFake;
let scenario: ConsulScenario;
const run = (...args: string[]) => opsdeckAsync(box.env, args);

function profile(extra = ''): void {
  const tokenFile = join(box.dir, 'consul-token');
  writeFileSync(tokenFile, `${OPERATOR}\n`);
  writeProfileFile(
    box.env,
    `defaultProfile: c
profiles:
  c:
    registry: { type: consul, url: "${fake.url}", token: "\${CONSUL_TOKEN}", blockingMinGapMs: 50 }
    config: { type: consul, url: "${fake.url}", token: "\${file:${tokenFile}}", prefix: "config/", blockingMinGapMs: 50 }
${extra}`,
  );
}

beforeEach(async () => {
  box = sandbox();
  box.env.CONSUL_TOKEN = OPERATOR;
  fake = await startAclFake();
  scenario = await seedConsulScenario(fake, OPERATOR);
  profile();
});

afterEach(async () => {
  await fake?.stop();
  await scenario?.close();
  box.cleanup();
});

describe('services', () => {
  it('services list covers every datacenter with a DATACENTER column; --datacenter narrows it', async () => {
    const all = await run('services', 'list', '-o', 'json');
    expect(all.code, all.stderr).toBe(0);
    expect(all.json().services.map((s: { datacenter: string; name: string }) => `${s.datacenter}/${s.name}`)).toEqual(['dc1/api', 'dc1/billing', 'dc1/consul', 'dc1/web', 'dc2/consul']);
    const table = await run('services', 'list', '-o', 'table');
    expect(table.stdout).toMatch(/^DATACENTER\s+SERVICE\s+INSTANCES\s+HEALTHY\s+DRAINED\n/);
    expect(table.stdout).toMatch(/dc1\s+api\s+1\s+1\/1\s+1/);
    const dc2 = await run('services', 'list', '--datacenter', 'dc2', '-o', 'json');
    expect(dc2.json().services).toEqual([{ backend: 'consul', datacenter: 'dc2', name: 'consul', instances: 1, healthy: 1, disabled: 0 }]);
  });

  it("services show names the datacenter it read: the agent's own by default, --datacenter otherwise", async () => {
    const web = await run('services', 'show', 'web', '-o', 'json');
    expect(web.code, web.stderr).toBe(0);
    expect(web.json()).toMatchObject({ backend: 'consul', datacenter: 'dc1', name: 'web' });
    expect(web.json().instances.map((i: { id: string; health: string }) => `${i.id}:${i.health}`)).toEqual(['web-1:passing', 'web-2:warning']);
    const other = await run('services', 'show', 'web', '--datacenter', 'dc2');
    expect(other.code).toBe(1);
    expectOneLineError(other, /^opsdeck: service web not found in datacenter dc2 on Consul at http:\/\/127\.0\.0\.1:\d+ \(hint: .*--datacenter/);
    const ns = await run('services', 'show', 'web', '--namespace', 'x');
    expect(ns.code).toBe(2);
    expectOneLineError(ns, /registry backend consul has no namespaces/);
  });
});

describe('--datacenter among several registries, and its completion', () => {
  it('a registry without datacenters is left out of a listing narrowed by --datacenter; addressing one thing there is exit 2', async () => {
    writeProfileFile(box.env, `defaultProfile: c\nprofiles:\n  c:\n    registry: [{ type: embedded, name: emb }, { type: consul, name: cons, url: "${fake.url}", token: "\${CONSUL_TOKEN}" }]\n`);
    const r = await run('services', 'list', '--datacenter', 'dc1', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().services.map((s: { backend: string; name: string }) => `${s.backend}/${s.name}`)).toEqual(['cons/api', 'cons/billing', 'cons/consul', 'cons/web']);
    const emb = await run('services', 'show', 'web', '--datacenter', 'dc1', '--backend', 'emb');
    expect(emb.code).toBe(2);
    expectOneLineError(emb, /registry backend emb has no datacenters/);
  });

  it('the shell completion offers --datacenter where a backend has datacenters, and the datacenters themselves', async () => {
    const flags = await opsdeckAsync(box.env, ['__complete', '--shell', 'bash', '--', 'opsdeck services show web --data']);
    expect(flags.stdout.split('\n')).toContain('--datacenter\tdatacenter (default: the backend\'s, e.g. the Consul agent\'s own)');
    const values = await opsdeckAsync(box.env, ['__complete', '--shell', 'bash', '--', 'opsdeck services show web --datacenter ']);
    expect(values.stdout.split('\n').slice(1).map((l) => l.split('\t')[0]).filter(Boolean).sort()).toEqual(['dc1', 'dc2']);
    // An embedded-only profile has no datacenters: the flag is not offered there.
    writeProfileFile(box.env, 'defaultProfile: e\nprofiles:\n  e:\n    registry: { type: embedded }\n');
    const none = await opsdeckAsync(box.env, ['__complete', '--shell', 'bash', '--', 'opsdeck services show web --data']);
    expect(none.stdout).not.toContain('--datacenter');
  });
});

describe('drain and undrain', () => {
  it('drain is maintenance mode sent to the agent that owns the instance, and the result says which; undrain ends it', async () => {
    const from = fake.requests.length;
    const d = await run('instances', 'drain', 'web', 'web-2', '-o', 'json');
    expect(d.code, d.stderr).toBe(0);
    expect(d.json()).toMatchObject({ datacenter: 'dc1', sentTo: `node-2's agent at ${fake.agents[1]!.url}` });
    expect(d.json().instances.find((i: { id: string }) => i.id === 'web-2')).toMatchObject({ traffic: 'disabled', status: 'maintenance' });
    expect(requestsSince(fake, from, 'PUT', '/v1/agent/service/maintenance/web-2').map((r) => [r.agent, r.query.enable![0]])).toEqual([['node-2', 'true']]);
    expect(fake.dc('dc1').checksFor('node-2', 'web-2').map((c) => c.CheckID)).toContain('_service_maintenance:web-2');

    const table = await run('instances', 'undrain', 'web', `${fake.agents[1]!.address}:8080`, '-o', 'table');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`sent to node-2's agent at ${fake.agents[1]!.url}`);
    expect(fake.dc('dc1').checksFor('node-2', 'web-2').map((c) => c.CheckID)).not.toContain('_service_maintenance:web-2');
  });

  it('deregister goes to the owning agent and warns on stderr that a self-registering process comes back', async () => {
    const r = await run('instances', 'deregister', 'web', 'web-2', '--yes', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ deregistered: true, id: 'web-2', datacenter: 'dc1', sentTo: expect.stringContaining('node-2') });
    expect(r.stderr).toMatch(/comes back when it registers again/);
    fake.syncNow();
    expect(fake.dc('dc1').instances('web').map((i) => i.svc.ID)).toEqual(['web-1']);
  });
});

describe('config: KV with cas on ModifyIndex', () => {
  it('get shows the ModifyIndex as the token; set --if-match writes while it is current and is exit 1 once it is stale', async () => {
    const got = await run('config', 'get', 'config/web/timeout', '-o', 'json');
    expect(got.code, got.stderr).toBe(0);
    const token = got.json().token;
    expect(token).toBe(String(fake.dc('dc1').kv.get('config/web/timeout')!.ModifyIndex));
    const set = await run('config', 'set', 'config/web/timeout', '--value', '45s', '--if-match', token, '-o', 'json');
    expect(set.code, set.stderr).toBe(0);
    expect(fake.dc('dc1').kv.get('config/web/timeout')!.Value!.toString()).toBe('45s');
    const stale = await run('config', 'set', 'config/web/timeout', '--value', '60s', '--if-match', token);
    expect(stale.code).toBe(1);
    expectOneLineError(stale, /key config\/web\/timeout .* has ModifyIndex \d+ now, not \d+/);
    expect(fake.dc('dc1').kv.get('config/web/timeout')!.Value!.toString()).toBe('45s');
    const md5 = await run('config', 'set', 'config/web/timeout', '--value', '1s', '--if-md5', '0'.repeat(32));
    expect(md5.code).toBe(2);
    expectOneLineError(md5, /compare-and-set token is the ModifyIndex/);
  });

  it('--if-match 0 creates a key only if it is absent', async () => {
    const created = await run('config', 'set', 'config/new.yaml', '--value', 'a: 1', '--if-match', '0', '-o', 'json');
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ dataId: 'config/new.yaml', type: 'yaml', content: 'a: 1' });
    const again = await run('config', 'set', 'config/new.yaml', '--value', 'a: 2', '--if-match', '0');
    expect(again.code).toBe(1);
    expectOneLineError(again, /exists already .*--if-match 0 creates it only if absent/);
    expect(fake.dc('dc1').kv.get('config/new.yaml')!.Value!.toString()).toBe('a: 1');
  });

  it('history is a capability Consul KV lacks (exit 2 naming the backend); a key outside the prefix is exit 2', async () => {
    const h = await run('config', 'history', 'config/web/timeout');
    expect(h.code).toBe(2);
    expectOneLineError(h, /backend consul cannot/);
    const out = await run('config', 'get', 'other/key');
    expect(out.code).toBe(2);
    expectOneLineError(out, /outside consul's prefix config\//);
  });

  it('config watch prints a change as NDJSON, from blocking queries', async () => {
    const from = fake.requests.length;
    const watching = run('config', 'watch', 'config/web/timeout', '--count', '1', '--timeout', '20s', '-o', 'json');
    await waitUntil(() => requestsSince(fake, from, 'GET', '/v1/kv/config/web/timeout').some((r) => r.query.index !== undefined) && fake.parked() > 0);
    await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '90s' });
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ backend: 'consul', datacenter: 'dc1', dataId: 'config/web/timeout', op: 'update', content: '90s' });
  });

  it('a watch across a snapshot restore (the index goes backwards) reports the restored value, then a later write', async () => {
    const snap = fake.snapshot();
    await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '70s' });
    const from = fake.requests.length;
    const watching = run('config', 'watch', 'config/web/timeout', '--count', '2', '--timeout', '20s', '-o', 'json');
    const parkedRead = () => requestsSince(fake, from, 'GET', '/v1/kv/config/web/timeout').filter((r) => r.query.index !== undefined).length;
    await waitUntil(() => parkedRead() >= 1 && fake.parked() > 0);
    fake.restore(snap);
    const before = parkedRead();
    await waitUntil(() => parkedRead() > before && fake.parked() > 0);
    await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '80s' });
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).content)).toEqual(['30s', '80s']);
  });
});

describe('ACL tokens', () => {
  it('a profile without a token is exit 3 naming the server, with a hint to set one', async () => {
    writeProfileFile(box.env, `defaultProfile: c\nprofiles:\n  c:\n    registry: { type: consul, url: "${fake.url}" }\n`);
    const r = await run('services', 'show', 'web');
    expect(r.code).toBe(3);
    expectOneLineError(r, new RegExp(`^opsdeck: Consul at ${fake.url.replace(/\./g, '\\.')} .*without an ACL token.*\\(hint: .*set token in the profile`));
  });

  it('a wrong token is exit 3 "ACL not found", and the token never reaches a URL or the output', async () => {
    box.env.CONSUL_TOKEN = 'f00dfeed-0000-4000-8000-000000000000';
    const from = fake.requests.length;
    const r = await run('services', 'list');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not know the ACL token of the profile \(HTTP 403: ACL not found\)/);
    expect(r.stderr).toMatch(/hint: check the token in the profile/);
    expect(`${r.stdout}${r.stderr}`).not.toContain('f00dfeed');
    expect(fake.requests.slice(from).every((q) => q.tokenVia === 'x-consul-token' && !('token' in q.query))).toBe(true);
  });
});
