import { describe, expect, it } from 'vitest';
import { reachTargets } from '../../src/commands/bench/reach-targets.js';
import { freePort } from '../servers/redis-server.js';

describe('reachTargets: a target that is down is one clear error', () => {
  it('names an instance by its id and address, and only once when the id is the address', async () => {
    const port = await freePort();
    const at = `127.0.0.1:${port}`;
    const signal = new AbortController().signal;
    await expect(reachTargets([{ url: `http://${at}/`, label: at }], 2000, signal)).rejects.toMatchObject({ kind: 'unreachable', message: `${at} refused the connection` });
    await expect(reachTargets([{ url: `http://${at}/`, label: 'orders-1' }], 2000, signal)).rejects.toMatchObject({ message: `orders-1 (${at}) refused the connection` });
    await expect(reachTargets([{ url: `http://${at}/` }], 2000, signal)).rejects.toMatchObject({ message: `${at} refused the connection`, hint: 'check that the server is up and the port is right' });
  });
});
