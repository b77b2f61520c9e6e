import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHealth } from '../../src/adapters/consul/answers.js';
import { blockingLoop, nextIndex } from '../../src/adapters/consul/blocking.js';
import { consulIndex, header } from '../../src/adapters/consul/consul-http.js';
import { instanceOf, worst } from '../../src/adapters/consul/health.js';
import { typeOfKey } from '../../src/adapters/consul/kv.js';
import { agentUrl } from '../../src/adapters/consul/owner.js';
import { CONSUL_OPTIONS, parseConsulOptions } from '../../src/adapters/consul/options.js';
import { AnswerShape } from '../../src/adapters/kit/shape.js';
import { OpsError } from '../../src/core/errors.js';

/**
 * The Consul adapter's pure rules, on data: health from the fixtures' answers (hand-written from
 * Consul's source, test/fixtures/consul/README.md), the blocking-query index rules, header
 * matching, key types and the profile options.
 */

const FIXTURES = resolve(__dirname, '../fixtures/consul');
const fixture = (f: string): unknown => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8'));
const shape = new AnswerShape('Consul at http://test:8500 (/v1/health/service/x)', 'hint');

describe('health from checks', () => {
  it('the fixtures: web-1 passing, web-2 warning (429), address from the node when the service has none', () => {
    const [w1, w2] = readHealth(shape, fixture('health-service-web.json')).map(instanceOf);
    expect(w1).toMatchObject({ id: 'web-1', ip: '10.0.1.11', port: 8080, health: 'passing', status: 'passing', traffic: 'enabled', weight: 1, tags: ['v2', 'http'] });
    expect(w2).toMatchObject({ id: 'web-2', ip: '10.0.1.12', health: 'warning', status: 'warning' });
  });

  it('maintenance: traffic disabled and status maintenance, health from the other checks; Meta null is {}', () => {
    const [api] = readHealth(shape, fixture('health-service-api-maintenance.json')).map(instanceOf);
    expect(api).toMatchObject({ id: 'api-1', traffic: 'disabled', enabled: false, status: 'maintenance', health: 'passing', healthy: true, metadata: {}, ephemeral: true });
  });

  it('a critical TCP check with weights 10/1: critical, weight 10', () => {
    const [b] = readHealth(shape, fixture('health-service-billing.json')).map(instanceOf);
    expect(b).toMatchObject({ health: 'critical', weight: 10, metadata: {} });
  });

  it('node checks count (serfHealth), node maintenance drains, and a port Consul left out is 0', () => {
    const entry = {
      Node: { Node: 'n1', Address: '10.0.0.1' },
      Service: { ID: 's1', Service: 's', Tags: [], Address: '', Meta: null },
      Checks: [
        { CheckID: 'serfHealth', Status: 'critical', ServiceID: '', Type: '' },
        { CheckID: '_node_maintenance', Status: 'critical', ServiceID: '', Type: 'maintenance', Notes: 'rack' },
      ],
    };
    const [i] = readHealth(shape, [entry]).map(instanceOf);
    expect(i).toMatchObject({ ip: '10.0.0.1', port: 0, health: 'critical', traffic: 'disabled', weight: null });
  });

  it('the worst state wins; no checks is passing; a word Consul does not document is unknown', () => {
    expect(worst([])).toBe('passing');
    expect(worst(['passing', 'warning'])).toBe('warning');
    expect(worst(['warning', 'critical', 'passing'])).toBe('critical');
    expect(worst(['passing', 'maintenance-ish'])).toBe('unknown');
    expect(worst(['unknown-word', 'warning'])).toBe('warning');
  });

  it('a wrong shape is a bad answer naming the path', () => {
    const e = (() => {
      try {
        readHealth(shape, [{ Node: { Node: 'n', Address: 'a' }, Service: { ID: 1, Service: 's' } }]);
      } catch (x) {
        return x as OpsError;
      }
      throw new Error('accepted');
    })();
    expect([e.kind, e.message]).toEqual(['bad-answer', expect.stringContaining('[0].Service.ID is the number 1')]);
  });
});

describe('blocking-query rules', () => {
  it('the index goes on, resets to a plain read when it goes backwards or is missing, and is never below 1', () => {
    expect(nextIndex(0, 17)).toBe(17);
    expect(nextIndex(17, 17)).toBe(17);
    expect(nextIndex(17, 30)).toBe(30);
    expect(nextIndex(30, 12)).toBe(0);
    expect(nextIndex(30, null)).toBe(0);
    expect(nextIndex(0, 0)).toBe(1);
  });

  it('the loop sends 0 first, then each answer\'s index, starts over after a restore, and waits out the gap after a quick answer', async () => {
    const answers = [10, 10, 14, 3, 5];
    const sent: number[] = [];
    const slept: number[] = [];
    let t = 0;
    const ac = new AbortController();
    const steps: Array<[number, boolean]> = [];
    for await (const s of blockingLoop(
      async (index) => {
        sent.push(index);
        t += 5;
        const got = answers[sent.length - 1]!;
        if (sent.length === answers.length) ac.abort();
        return { value: got, index: got };
      },
      { signal: ac.signal, minGapMs: 100, now: () => t, sleep: async (ms) => void slept.push(ms) },
    )) {
      steps.push([s.value, s.reset]);
    }
    expect(sent).toEqual([0, 10, 10, 14, 0]);
    expect(steps).toEqual([
      [10, false],
      [10, false],
      [14, false],
      [3, true],
      [5, false],
    ]);
    expect(slept.every((ms) => ms === 95)).toBe(true);
  });

  it('a passing failure is tried again after 1 s, 2 s, …; a refusal is thrown at once', async () => {
    const slept: number[] = [];
    let calls = 0;
    const ac = new AbortController();
    const out: number[] = [];
    for await (const s of blockingLoop(
      async () => {
        calls++;
        if (calls <= 2) throw new OpsError('unreachable', 'away');
        ac.abort();
        return { value: calls, index: 5 };
      },
      { signal: ac.signal, minGapMs: 0, sleep: async (ms) => void slept.push(ms) },
    ))
      out.push(s.value);
    expect([out, slept]).toEqual([[3], [1000, 2000]]);
    const refused = blockingLoop(
      async () => {
        throw new OpsError('unauthorized', 'no');
      },
      { signal: new AbortController().signal, minGapMs: 0, sleep: async () => undefined },
    );
    await expect(refused[Symbol.asyncIterator]().next()).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it('headers match whatever their case (Go writes X-Consul-Knownleader)', () => {
    const reply = { headers: { 'X-Consul-Index': '42', 'x-consul-knownleader': 'true' } };
    expect(header(reply, 'x-consul-index')).toBe('42');
    expect(header(reply, 'X-Consul-KnownLeader')).toBe('true');
    expect(consulIndex(reply)).toBe(42);
    expect(consulIndex({ headers: { 'x-consul-index': 'soon' } })).toBeNull();
    expect(consulIndex({ headers: {} })).toBeNull();
  });
});

describe('keys and options', () => {
  it('a key\'s type comes from its extension, else the profile default', () => {
    expect(typeOfKey('config/app/application.yml', 'text')).toBe('yaml');
    expect(typeOfKey('config/app.d/flags.JSON', 'text')).toBe('json');
    expect(typeOfKey('config/app,dev/data', 'yaml')).toBe('yaml');
    expect(typeOfKey('config/app.d/data', 'text')).toBe('text');
  });

  it('options: the token is read, credentials in the url are refused, agents are URLs, blocking waits are capped at 10 minutes', () => {
    const o = parseConsulOptions({ url: 'http://consul:8500/', token: 's3cret', agents: { 'node-2': 'http://10.0.1.12:8500/' } }, 'c');
    expect(o).toMatchObject({ url: 'http://consul:8500', token: 's3cret', agents: { 'node-2': 'http://10.0.1.12:8500' }, blockingWaitMs: 300_000, prefix: '', defaultType: 'text' });
    const bad = (raw: Record<string, unknown>) => {
      try {
        CONSUL_OPTIONS.read(raw);
      } catch (e) {
        return `${(e as OpsError).message} (hint: ${(e as OpsError).hint})`;
      }
      return 'accepted';
    };
    expect(bad({ url: 'http://u:p@consul:8500' })).toContain('token');
    expect(bad({ url: 'http://consul:8500', agents: { n: 'consul:8500' } })).toContain('agents.n');
    expect(bad({ url: 'http://consul:8500', blockingWaitMs: '11m' })).toContain('blockingWaitMs');
    expect(bad({ url: 'http://consul:8500', tokne: 'x' })).toContain('did you mean token');
  });

  it('an owning agent is the node address with the agent port (or the url\'s), IPv6 in brackets', () => {
    const o = parseConsulOptions({ url: 'https://consul.local:8501' }, 'c');
    expect(agentUrl({ o }, '10.0.1.12')).toBe('https://10.0.1.12:8501');
    expect(agentUrl({ o: { ...o, agentPort: 8500 } }, 'fd00::12')).toBe('https://[fd00::12]:8500');
  });
});
