import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LatencyStats } from '../../src/loadgen/latency-stats.js';

/** A deterministic spread from 1 µs to seconds, heavier at the low end like real latencies. */
function values(n: number, seed: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const u = x / 2147483648;
    out.push(Math.max(1, Math.round(Math.exp(u * u * 15))));
  }
  return out;
}

const GRID = [...Array.from({ length: 201 }, (_, i) => i / 2), 99.9, 99.99, 99.999];

describe('latency histograms', () => {
  it('merging the wire form of several recorders equals recording every value in one', () => {
    const parts = [values(20_000, 1), values(5_000, 2), values(1, 3), [], values(30_000, 4)];
    const recorders = parts.map((vs) => {
      const r = new LatencyStats();
      vs.forEach((v) => r.record(v));
      return r;
    });
    const merged = LatencyStats.merge(recorders.map((r) => r.wire()));
    const all = parts.flat();
    const direct = new LatencyStats();
    all.forEach((v) => direct.record(v));

    expect(merged.count).toBe(all.length);
    expect(merged.histogram.totalCount).toBe(all.length);
    expect(merged.min).toBe(Math.min(...all));
    expect(merged.max).toBe(Math.max(...all));
    expect(merged.sum).toBe(all.reduce((a, b) => a + b, 0));
    for (const p of GRID) expect([p, merged.histogram.getValueAtPercentile(p)]).toEqual([p, direct.histogram.getValueAtPercentile(p)]);
    const a = merged.snapshot();
    const b = direct.snapshot();
    expect(a.percentiles).toEqual(b.percentiles);
    expect(a.mean).toBeCloseTo(all.reduce((x, y) => x + y, 0) / all.length, 9);
    expect(a.max).toBe(Math.max(...all));
  });

  it('the snapshot percentiles agree with the raw values to the histogram precision (3 digits)', () => {
    const all = values(50_000, 9);
    const r = new LatencyStats();
    all.forEach((v) => r.record(v));
    const sorted = [...all].sort((x, y) => x - y);
    const snap = r.snapshot();
    for (const p of ['50', '90', '99', '99.9']) {
      const exact = sorted[Math.ceil((Number(p) / 100) * sorted.length) - 1]!;
      expect(Math.abs(snap.percentiles[p]! - exact)).toBeLessThanOrEqual(Math.max(1, exact * 0.001));
    }
    expect(snap.percentiles['100']).toBe(sorted.at(-1));
    expect(snap.count).toBe(all.length);
  });

  it('the encoded snapshot decodes back to the same histogram (HdrHistogram compressed V2, base64)', () => {
    const r = new LatencyStats();
    values(10_000, 5).forEach((v) => r.record(v));
    const snap = r.snapshot();
    // HdrHistogram's V2 compressed cookie 0x1c849304 (bits 4-7 carry the word size).
    expect((Buffer.from(snap.encoded, 'base64').readUInt32BE(0) & ~0xf0) >>> 0).toBe(0x1c849304);
    const back = decodeFromCompressedBase64(snap.encoded);
    expect(back.totalCount).toBe(snap.count);
    for (const p of GRID) expect([p, back.getValueAtPercentile(p)]).toEqual([p, r.histogram.getValueAtPercentile(p)]);
    // And once more through a decode: the same bytes.
    const again = new LatencyStats(back);
    again.count = snap.count;
    again.max = snap.max;
    expect(again.snapshot().encoded).toBe(snap.encoded);
  });

  it('an empty recorder gives zeros and still a decodable encoding', () => {
    const snap = new LatencyStats().snapshot();
    expect(snap).toMatchObject({ count: 0, min: 0, max: 0, mean: 0 });
    expect(Object.values(snap.percentiles).every((v) => v === 0)).toBe(true);
    expect(decodeFromCompressedBase64(snap.encoded).totalCount).toBe(0);
  });
});
