import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demo } from '../../src/commands/misc/demo.js';
import { DEMO_INSTANCES } from '../../src/commands/misc/demo-fleet.js';
import { DemoAnimator, demoSpeed } from '../../src/frontends/tui/demo-animator.js';
import { Session } from '../../src/session/session.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * The demo fleet over simulated minutes: the animator's clock (Date) is moved a beat at a time, so
 * ten minutes of the demo take a few seconds. Every service must still be listed at every minute,
 * and the flapping gateway must both go away from "passing" and come back.
 */
let dir: string;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-demo-anim-'));
  session = new Session({ name: 'demo', readOnly: false, production: false, registry: [{ type: 'embedded' }], config: [{ type: 'embedded' }], locks: [{ type: 'embedded' }], source: 'test' }, dir, 'test');
  await demo.run({ session, signal: new AbortController().signal, now: () => Date.now() } as never, { args: {}, opts: {} });
});

afterAll(async () => {
  vi.useRealTimers();
  await session.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo animator', () => {
  it('keeps every service of the fleet alive for ten minutes while one gateway flaps and recovers', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const animator = new DemoAnimator(consoleReads(session));
    const registry = await session.registryBackend();
    const services = [...new Set(DEMO_INSTANCES.filter((i) => i.namespace === undefined).map((i) => i.service))];
    const gatewayHealth: string[] = [];
    for (let beat = 1; beat <= 600; beat++) {
      vi.setSystemTime(Date.now() + 1000);
      await animator.step();
      if (beat % 60 === 0) {
        const listed = await registry.listServices({ scope: {} });
        const names = listed.map((s) => s.name);
        for (const name of services) expect(names, `minute ${beat / 60}`).toContain(name);
      }
      const gw = await registry.getService({ scope: {}, name: 'gateway' });
      expect(gw.instances.length, `beat ${beat}`).toBeGreaterThanOrEqual(2);
      const last = gw.instances.find((i) => i.ip === '10.0.4.13');
      gatewayHealth.push(last?.health ?? 'gone');
    }
    vi.useRealTimers();
    // The flapping gateway leaves "passing" and comes back, again and again, to the end.
    expect(gatewayHealth.filter((h) => h !== 'passing').length).toBeGreaterThan(60);
    expect(gatewayHealth.slice(-20)).toContain('passing');
    expect(gatewayHealth.slice(-20).some((h) => h !== 'passing')).toBe(true);
    // 600 durable beats: a few seconds on a quiet machine, more than a minute on a loaded one.
  }, 240_000);

  it('reads its speed from OPSDECK_DEMO_SPEED, within bounds', () => {
    expect(demoSpeed({})).toBe(1);
    expect(demoSpeed({ OPSDECK_DEMO_SPEED: '10' })).toBe(10);
    expect(demoSpeed({ OPSDECK_DEMO_SPEED: '0' })).toBe(1);
    expect(demoSpeed({ OPSDECK_DEMO_SPEED: 'fast' })).toBe(1);
    expect(demoSpeed({ OPSDECK_DEMO_SPEED: '1000' })).toBe(1);
  });
});
