import { createServer } from 'node:http';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../src/loadgen/run-load.js';
import { listen } from './local-servers.js';

describe('constant-rate mode', () => {
  it('holds the rate within 2% over 10 s (counted by the server and by the engine)', async () => {
    let seen = 0;
    const port = await listen(
      createServer((_q, res) => {
        seen++;
        res.end('ok');
      }),
    );
    const rate = 400;
    const r = await runLoad({ targets: [{ url: `http://127.0.0.1:${port}/` }], method: 'GET', headers: {}, durationMs: 10_000, rate, connections: 8, workers: 2, timeoutMs: 5000, keepAlive: true });
    const expected = rate * 10;
    expect(Math.abs(r.requests / expected - 1)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(seen / expected - 1)).toBeLessThanOrEqual(0.02);
    // Never more than the schedule allows: requests due after the end are not sent.
    expect(seen).toBeLessThanOrEqual(expected);
    expect(r.rate).toBe(rate);
    expect(r.correctedForCoordinatedOmission).toBe(true);
  }, 30_000);

  it('counts requests that fell due while the server stalled from when they were due', async () => {
    // The server holds every answer during one second, starting 500 ms after its first request.
    let stallFrom = 0;
    const port = await listen(
      createServer((_q, res) => {
        const now = Date.now();
        if (stallFrom === 0) stallFrom = now + 500;
        const wait = now >= stallFrom && now < stallFrom + 1000 ? stallFrom + 1000 - now : 0;
        setTimeout(() => res.end('ok'), wait);
      }),
    );
    // 2 connections at 200 req/s for 3 s: ~200 requests fall due in the stall. Measured from the
    // send, only the 2 requests in flight when it began would be slow; from the due time, each of
    // those 200 waited until the stall's end, a quarter of them more than 750 ms.
    const r = await runLoad({ targets: [{ url: `http://127.0.0.1:${port}/` }], method: 'GET', headers: {}, durationMs: 3000, rate: 200, connections: 2, workers: 1, timeoutMs: 5000, keepAlive: true });
    const h = decodeFromCompressedBase64(r.latency.encoded);
    const slow = h.totalCount - countBelow(h, 250_000);
    expect(slow).toBeGreaterThan(0.1 * r.requests);
    expect(r.latency.percentiles['90']).toBeGreaterThan(250_000);
  }, 30_000);
});

/** Values recorded below `us`, from the percentile function (the histogram's public reading). */
function countBelow(h: ReturnType<typeof decodeFromCompressedBase64>, us: number): number {
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (h.getValueAtPercentile(mid) < us) lo = mid;
    else hi = mid;
  }
  return Math.round((lo / 100) * h.totalCount);
}
