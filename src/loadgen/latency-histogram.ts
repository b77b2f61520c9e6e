import * as hdr from 'hdr-histogram-js';

/**
 * A latency histogram in microseconds: 1 µs to an hour at 3 significant digits, the precision wrk
 * and HdrHistogram's own tools use, so encoded snapshots can be read by them. The plain JS
 * implementation (not WebAssembly): recording is a few array operations, and a worker needs no
 * asynchronous set-up before its first request.
 */
export type LatencyHistogram = hdr.Histogram;

export const LATENCY_HIGHEST_US = 3_600_000_000;

export function newLatencyHistogram(): LatencyHistogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: LATENCY_HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: true });
}

/** HdrHistogram's compressed V2 form, base64: what crosses the worker boundary and lands in JSON. */
export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(encoded);
}
