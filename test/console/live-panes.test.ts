import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Controller, type ControllerDeps } from '../../src/frontends/tui/controller.js';
import { levelOf, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { currentView, initialState, type ConsoleState, type PaneRow, type PaneView } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import type { Profile } from '../../src/session/profile-types.js';
import { Session } from '../../src/session/session.js';
import { OPERATOR, startAclFake, waitUntil } from '../adapters/consul-support.js';
import type { ConsulFake } from '../servers/consul-fake.js';
import { stubDeps } from '../helpers/controller-stub.js';
import { seedConsulScenario, type ConsulScenario } from '../servers/consul-fake/scenario.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * Panes fed by push instead of polling. The levels on a real session: a Consul registry (the Consul
 * FAKE, test/servers/consul-fake.ts, since no Consul server can run here) pushes through blocking
 * queries, the embedded store does not. The controller: a view followed by a feed is marked live,
 * reloads when the feed yields, is skipped by the polling tick, and is polled again once the feed ends.
 */

describe('levels: push where every backend has it', () => {
  let fake: ConsulFake;
  let scenario: ConsulScenario;
  let dir: string;
  const sessions: Session[] = [];
  const open = (p: Omit<Profile, 'name' | 'readOnly' | 'production' | 'source' | 'locks'>) => {
    const s = new Session({ name: 'p', readOnly: false, production: false, locks: [], source: 'test', ...p }, dir, 'test', { CONSUL_TOKEN: OPERATOR });
    sessions.push(s);
    return s;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-live-'));
    fake = await startAclFake();
    scenario = await seedConsulScenario(fake, OPERATOR);
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()));
    await fake.stop();
    await scenario.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const consul = () => ({ type: 'consul', url: fake.url, token: '${CONSUL_TOKEN}', blockingMinGapMs: 20 });

  it('the services pane and an instances drill-down wake when Consul changes, with datacenter columns', async () => {
    const session = open({ registry: [consul()], config: [] });
    const top = levelOf('services', { level: 'top' });
    const loaded = await top.load(consoleReads(session), Date.now());
    expect(Array.isArray(loaded) ? null : loaded.columns).toEqual(['DATACENTER', 'SERVICE', 'INSTANCES', 'HEALTHY', 'DRAINED']);
    const rows = Array.isArray(loaded) ? loaded : loaded.rows;
    const web = rows.find((r) => r.cells[1] === 'web')!;
    const drill = top.enter!(web) as Extract<Plan, { kind: 'drill' }>;
    // The listing blocks on two queries in each datacenter (catalog/services and health/state/any),
    // a service on one. Maintenance moves only the checks' index, so a write made when just the
    // catalog query was parked could come before the checks query's first read and wake nothing.
    for (const [level, queries] of [[top, 2], [levelOf('services', { level: drill.level }), 1]] as const) {
      const ac = new AbortController();
      const next = level.changes!(consoleReads(session), ac.signal)[Symbol.asyncIterator]().next();
      await waitUntil(() => fake.parked() === queries);
      await fetch(`${fake.agents[1]!.url}/v1/agent/service/maintenance/web-2?enable=${level === top ? 'true' : 'false'}`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR } });
      expect((await next).done).toBe(false);
      ac.abort();
      // The fake forgets an aborted query only when it sees the socket close; until then the next
      // level's wait above would count this stale query as its own and write before it is parked.
      await waitUntil(() => fake.parked() === 0);
    }
  });

  it('the config pane wakes when a key under the prefix changes', async () => {
    const session = open({ registry: [], config: [{ ...consul(), prefix: 'config/' }] });
    const ac = new AbortController();
    const next = levelOf('config', { level: 'top' }).changes!(consoleReads(session), ac.signal)[Symbol.asyncIterator]().next();
    await waitUntil(() => fake.parked() > 0);
    await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'DELETE', headers: { 'X-Consul-Token': OPERATOR } });
    expect((await next).done).toBe(false);
    ac.abort();
  });

  it('a pane that also shows a backend without push has no feed (it ends at once), so it is polled', async () => {
    const session = open({ registry: [{ type: 'embedded', name: 'emb' }, { ...consul(), name: 'cons' }], config: [] });
    const ac = new AbortController();
    expect((await levelOf('services', { level: 'top' }).changes!(consoleReads(session), ac.signal)[Symbol.asyncIterator]().next()).done).toBe(true);
  });
});

describe('controller: a live view', () => {
  const row = (k: string): PaneRow => ({ key: k, cells: [k], tone: 'plain', data: null });

  function setup() {
    const store = new Store<ConsoleState>(initialState(100, 30, { name: 'dev', production: false, readOnly: false }, [], false));
    let loads = 0;
    let push: (() => void) | null = null;
    let end: (() => void) | null = null;
    let now = 1_000_000;
    const deps: ControllerDeps = {
      ...stubDeps(store),
      loadView: async () => [row(`load-${++loads}`)],
      now: () => now,
      liveChanges: (view: PaneView, signal: AbortSignal) =>
        (async function* () {
          if (view.pane !== 'services') return;
          while (!signal.aborted) {
            const step = await new Promise<'push' | 'end'>((r) => {
              push = () => r('push');
              end = () => r('end');
              signal.addEventListener('abort', () => r('end'), { once: true });
            });
            if (step === 'end') return;
            yield;
          }
        })(),
    };
    const c = new Controller(deps);
    return { c, store, loads: () => loads, push: () => push?.(), end: () => end?.(), advance: (ms: number) => (now += ms) };
  }

  it('is marked live, reloads on a push, is skipped by the polling tick, and is polled again when the feed ends', async () => {
    const t = setup();
    await t.c.refreshPane();
    expect(t.loads()).toBe(1);
    await waitUntil(() => currentView(t.store.get()).live === true);
    // The polling tick leaves a live view alone (until the safety interval).
    t.advance(5000);
    await t.c.tick();
    expect(t.loads()).toBe(1);
    t.push();
    await waitUntil(() => t.loads() === 2);
    expect(currentView(t.store.get()).rows.map((r) => r.key)).toEqual(['load-2']);
    t.advance(61_000);
    await t.c.tick();
    expect(t.loads()).toBe(3);
    t.end();
    await waitUntil(() => currentView(t.store.get()).live === false);
    t.advance(100);
    await t.c.tick();
    expect(t.loads()).toBe(4);
    t.c.dispose();
  });
});
