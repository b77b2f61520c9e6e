import { describe, expect, it } from 'vitest';
import { Refresher } from '../../src/frontends/tui/refresher.js';

describe('Refresher', () => {
  it('runs at once by default, and leaves the first run to the first tick when told', async () => {
    let eager = 0;
    let lazy = 0;
    const a = new Refresher(60_000, async () => void eager++);
    const b = new Refresher(60_000, async () => void lazy++);
    a.start();
    b.start(false);
    await new Promise((r) => setTimeout(r, 20));
    a.stop();
    b.stop();
    expect(eager).toBe(1);
    expect(lazy).toBe(0);
  });
});
