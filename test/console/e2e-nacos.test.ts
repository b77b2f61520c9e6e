import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProfileFile } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import type { Tmux } from '../helpers/tmux.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import type { NacosEndpoint } from '../servers/nacos-server.js';

/**
 * Panes 1 and 2 in a real terminal against a real Nacos 2.5.1 with auth on. The test makes two
 * namespaces with services, instances and configs of its own, then drives the console the way an
 * on-call engineer would: namespace and group columns, a drain confirmed in the dialog and shown
 * dimmed, undrain, switching namespace, completion that stays in the namespace in effect (and
 * follows --namespace on the line), a config's history, a diff between two marked entries, and
 * the clients listening to it. Every step waits on what the screen shows, with generous bounds.
 */
const E2E_TIMEOUT = 600_000;

let s: NacosEndpoint;
let token: string;
let nsA: string;
let nsB: string;
let listening: AbortController;
let poll: Promise<void>;
/** How the test client's last long poll ended, for a failure message. */
let lastPoll = '(no poll answered yet)';
const t = useConsoleSandbox(120, 40);

/** A raw call with the admin's token: the test's own seeding and probes, no opsdeck code. */
async function nacos(method: string, path: string, params: Record<string, string>): Promise<string> {
  const qs = new URLSearchParams(params);
  const r = await fetch(method === 'GET' ? `${s.url}${path}?${qs}` : `${s.url}${path}`, { method, headers: { accessToken: token }, body: method === 'GET' ? undefined : qs, signal: AbortSignal.timeout(40_000) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${method} ${path}: HTTP ${r.status} ${text.slice(0, 300)}`);
  return text;
}

const instance = (namespaceId: string, serviceName: string, ip: string, port: number) => nacos('POST', '/v1/ns/instance', { namespaceId, serviceName, ip, port: String(port), ephemeral: 'false' });
const publish = (tenant: string, dataId: string, content: string) => nacos('POST', '/v1/cs/configs', { tenant, dataId, group: 'DEFAULT_GROUP', content, type: 'yaml' });
/** The enabled instances of a service, as clients see them (the client list hides drained ones). */
const clientIps = async (namespaceId: string, serviceName: string) => (JSON.parse(await nacos('GET', '/v1/ns/instance/list', { namespaceId, serviceName })) as { hosts: Array<{ ip: string }> }).hosts.map((h) => h.ip).sort();

beforeAll(async () => {
  s = await sharedNacos('2.5.1');
  token = await nacosToken(s);
  nsA = await nacosNamespace(s, token, 'console-a');
  nsB = await nacosNamespace(s, token, 'console-b');
  await instance(nsA, 'orders', '10.60.0.1', 8080);
  await instance(nsA, 'orders', '10.60.0.2', 8080);
  await instance(nsB, 'orders', '10.61.0.1', 8080);
  await instance(nsB, 'billing', '10.61.0.9', 80);
  for (const v of ['v: 1\n', 'v: 2\n', 'v: 3\n']) await publish(nsA, 'orders.yaml', v);
  await publish(nsB, 'billing.yaml', 'b: 1\n');
  // A client listening to orders.yaml, as the SDKs do: a long poll holding the md5 it has.
  const md5 = createHash('md5').update('v: 3\n').digest('hex');
  listening = new AbortController();
  poll = (async () => {
    while (!listening.signal.aborted) {
      await fetch(`${s.url}/v1/cs/configs/listener`, {
        method: 'POST',
        headers: { accessToken: token, 'Long-Pulling-Timeout': '30000' },
        body: new URLSearchParams({ 'Listening-Configs': `orders.yaml\x02DEFAULT_GROUP\x02${md5}\x02${nsA}\x01` }),
        signal: listening.signal,
      })
        .then(async (r) => (lastPoll = `HTTP ${r.status} ${(await r.text()).slice(0, 200)}`))
        .catch((e: unknown) => (lastPoll = `error ${(e as Error).message}`));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
}, E2E_TIMEOUT);

afterAll(async () => {
  listening?.abort();
  await poll;
});

/** The console on a profile whose registry and config centre are the Nacos server, password from the environment. */
function start(term: Tmux, env: NodeJS.ProcessEnv): void {
  const yaml = `profiles:\n  nacos:\n    registry: { type: nacos, url: "${s.url}", username: ${s.username}, password: "\${NACOS_E2E_PASSWORD}" }\n    config: { type: nacos, url: "${s.url}", username: ${s.username}, password: "\${NACOS_E2E_PASSWORD}" }\n`;
  writeProfileFile(env, yaml);
  startConsoleIn(term, { ...env, NACOS_E2E_PASSWORD: s.password }, '--profile nacos');
}

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The prompt line holds exactly `text` (after the profile's prompt). */
const prompt = (text: string) => new RegExp(`^nacos›\\s*${esc(text)}\\s*$`, 'm');
/** A line of the log: a command that ran, echoed at the start of a line. */
const ran = (line: string) => new RegExp(`^› ${esc(line)}\\s*$`, 'm');
/** A row of the pane (after the gutter of selection and mark), not a line of a command's output in the log. */
const paneRow = (start: string, word: string) => new RegExp(`^[▶ ][ •]${esc(start)}\\s.*\\b${word}\\b`, 'm');
const idOf = (ip: string) => `${ip}#8080#DEFAULT#DEFAULT_GROUP@@orders`;

describe('console panes 1 and 2 on a real Nacos 2.5.1 with auth', () => {
  it('namespace and group columns, drain and undrain, namespace switching, completion in the namespace, config history, diff and listeners', async () => {
    const { term, box } = t;
    start(term, box.env);
    await term.waitFor(/nacos›/);

    // Pane 1: every namespace, each row with its namespace and group.
    // Each Escape is waited on: an Escape followed at once by a key reads as Alt and that key.
    term.keys('Escape');
    await term.waitFor(/ \(pane focus\)/);
    term.type('1');
    const rowA = new RegExp(`${esc(nsA)}\\s+DEFAULT_GROUP\\s+orders\\s+2\\s+2/2\\s+0`);
    const all = await term.waitFor((x) => rowA.test(x) && new RegExp(`${esc(nsB)}\\s+DEFAULT_GROUP\\s+billing`).test(x));
    expect(all).toMatch(/NAMESPACE\s+GROUP\s+SERVICE\s+INSTANCES\s+HEALTHY\s+DRAINED/);
    expect(all).toMatch(/services in every namespace/);
    expect(all).toMatch(/n namespace/);
    // One backend of each kind: no BACKEND column.
    expect(all).not.toMatch(/BACKEND/);

    // Into namespace A's orders, and drain its first instance through the dialog.
    term.type('/');
    term.type(nsA);
    term.keys('Enter');
    await term.waitFor((x) => rowA.test(x) && !/billing/.test(x));
    term.keys('Enter');
    await term.waitFor(new RegExp(`orders \\(namespace ${esc(nsA)}, group DEFAULT_GROUP\\)`));
    await term.waitFor((x) => x.includes(idOf('10.60.0.1')) && x.includes(idOf('10.60.0.2')));
    term.type('d');
    await term.waitFor(new RegExp(`Drain ${esc(idOf('10.60.0.1'))} of orders\\?`));
    term.type('y');
    await term.waitFor(ran(`instances drain orders ${idOf('10.60.0.1')} --namespace ${nsA}`));
    await term.waitFor(paneRow(idOf('10.60.0.1'), 'drained'));
    // Marked in words (TRAFFIC "drained") and drawn dimmed: the row's colour is grey.
    const styled = term.styledScreen().split('\n').find((l) => l.includes(idOf('10.60.0.1')))!;
    expect(styled).toMatch(/\x1b\[(?:[0-9;]*;)?(?:90|2)(?:;[0-9;]*)?m/);
    expect(await clientIps(nsA, 'orders')).toEqual(['10.60.0.2']);
    // Undrain it again (the cursor stays on the row).
    term.type('u');
    await term.waitFor(new RegExp(`Undrain ${esc(idOf('10.60.0.1'))} of orders\\?`));
    term.type('y');
    await term.waitFor(ran(`instances undrain orders ${idOf('10.60.0.1')} --namespace ${nsA}`));
    await term.waitFor(paneRow(idOf('10.60.0.1'), 'enabled'));
    expect(await clientIps(nsA, 'orders')).toEqual(['10.60.0.1', '10.60.0.2']);

    // Switch to namespace B with n: the prompt offers the namespaces; the panes list only B.
    term.keys('Escape');
    await term.waitFor(/services in every namespace/);
    term.keys('Escape');
    await term.waitFor((x) => !/filter:/.test(x));
    term.type('n');
    await term.waitFor((x) => prompt('use').test(x) && x.includes(nsA) && x.includes(nsB));
    term.type(nsB);
    term.keys('Enter');
    await term.waitFor(ran(`use ${nsB}`));
    const inB = await term.waitFor((x) => x.includes(`services in namespace ${nsB}`) && new RegExp(`${esc(nsB)}\\s+DEFAULT_GROUP\\s+billing`).test(x));
    expect(inB).not.toMatch(rowA);
    expect(inB).toContain(`ns ${nsB}`);
    // A clean log, so what completion offers below is all that names an instance on screen.
    term.type('clear');
    term.keys('Enter');
    await term.waitFor((x) => !x.includes(idOf('10.60.0.1')));

    // Completion stays in the namespace in effect: orders of B has one instance, inserted at once.
    term.type('instances drain orders ');
    await pressUntil(term, () => term.keys('Tab'), prompt(`instances drain orders ${idOf('10.61.0.1')}`));
    expect(term.screen()).not.toContain(idOf('10.60.0.1'));
    // --namespace on the line wins: namespace A's two instances are offered, B's is not.
    term.keys('C-u');
    term.type(`instances drain orders --namespace ${nsA} `);
    // (The menu may shorten the long ids; their start says which instance each is.)
    const menu = await pressUntil(term, () => term.keys('Tab'), (x) => x.includes('10.60.0.1#8080') && x.includes('10.60.0.2#8080'));
    expect(menu).not.toContain('10.61.0.1#8080');
    term.keys('C-u');
    await term.waitFor((x) => prompt('').test(x) && !x.includes('10.60.0.2#8080'));

    // A typed line runs in the namespace in effect: the log shows the flag the console added.
    term.type('services show orders');
    term.keys('Enter');
    await term.waitFor(ran(`services show orders --namespace ${nsB}`));
    await term.waitFor(/10\.61\.0\.1/);

    // Back to namespace A from the prompt; pane 2 lists its config.
    term.type(`use ${nsA}`);
    term.keys('Enter');
    await term.waitFor(ran(`use ${nsA}`));
    term.keys('Escape');
    await term.waitFor(/ \(pane focus\)/);
    term.type('2');
    await term.waitFor((x) => x.includes(`config in namespace ${nsA}`) && new RegExp(`${esc(nsA)}\\s+DEFAULT_GROUP\\s+orders\\.yaml\\s+yaml`).test(x));
    // Nacos has history and listeners: their keys are in the footer.
    const footer = await term.waitFor(/e edit · h history · l listeners/);
    expect(footer).not.toMatch(/billing\.yaml/);

    // Open it: the content as published last.
    term.keys('Enter');
    await term.waitFor((x) => /orders\.yaml \(namespace/.test(x) && /^v: 3\s*$/m.test(x));
    term.keys('Escape');
    await term.waitFor(/e edit · h history/);

    // History: three publishes; mark the oldest with v, diff from it to the newest with d.
    term.type('h');
    await term.waitFor((x) => /history of orders\.yaml/.test(x) && /ID\s+OP\s+CONTENT/.test(x) && (x.match(/\b(create|update)\b/g) ?? []).length >= 3);
    await term.waitFor(/v mark for diff/);
    term.type('G');
    term.type('v');
    await term.waitFor(/marked \d+: d on another entry diffs from it/);
    term.type('g');
    term.type('d');
    const diff = await term.waitFor((x) => /› config diff orders\.yaml --from \d+ --to \d+/.test(x) && /^-v: 1\s*$/m.test(x) && /^\+v: 3\s*$/m.test(x));
    expect(diff).toContain(`--namespace ${nsA}`);

    // Listeners: the client polling above, by its IP and the md5 it holds. First, read without
    // opsdeck that Nacos counts it (a poll is held ~30 s, then the client asks again).
    const heard = await until(async () => /127\.0\.0\.1/.test(await nacos('GET', '/v1/cs/configs/listener', { dataId: 'orders.yaml', group: 'DEFAULT_GROUP', tenant: nsA })), 60_000);
    expect(heard, `Nacos never listed the test's listener; its last poll: ${lastPoll}`).toBe(true);
    term.keys('Escape');
    await term.waitFor(/e edit · h history · l listeners/);
    // A listener is counted while its poll is held: between two polls it is briefly absent, so l may need a second look.
    await pressUntil(term, () => term.type('l'), (x) => ran(`config listeners orders.yaml --namespace ${nsA}`).test(x) && /127\.0\.0\.1\s+[0-9a-f]{32}\s+yes/.test(x));

    // Leave cleanly.
    term.type(':');
    await term.waitFor(/Tab complete/);
    term.keys('C-d');
    const after = await term.waitFor(/EXITED:\d+/);
    expect(after).toMatch(/EXITED:0/);
  }, E2E_TIMEOUT);
});

/** Polls `f` until it holds or `ms` pass; whether it held. */
async function until(f: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * Presses a key until the screen passes. Tab: the first may find the instances still loading (the
 * console loads them in the background and never blocks a key), so the menu fills on its own
 * later; a Tab on an open menu moves its selection, or takes its only choice.
 */
async function pressUntil(term: Tmux, press: () => void, test: RegExp | ((screen: string) => boolean), timeoutMs = 60_000): Promise<string> {
  const ok = (x: string) => (typeof test === 'function' ? test(x) : test.test(x));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    press();
    try {
      return await term.waitFor(ok, 5000);
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}
