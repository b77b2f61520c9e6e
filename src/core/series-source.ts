/**
 * The contract between the embedded metrics store (scraper, compressed samples, import) and the
 * PromQL evaluator: the evaluator asks for raw samples by label matchers and never sees how they are
 * stored, so the store can change its encoding and tests can feed the evaluator plain arrays.
 */

/** A series' labels, `__name__` included, as Prometheus keeps them. */
export type Labels = Readonly<Record<string, string>>;

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  type: MatchType;
  /** For `=~` and `!~`, an RE2 pattern that must match the whole value (Prometheus anchors it). */
  value: string;
}

/** One series' samples in a time window, oldest first. Times are milliseconds since the epoch. */
export interface SeriesSamples {
  labels: Labels;
  t: Float64Array;
  /** A staleness marker is the NaN whose bits are STALE_NAN_BITS; see isStaleNaN. */
  v: Float64Array;
}

export interface SeriesSource {
  /** Every series matching all matchers, with its samples in [mint, maxt] (ms, both inclusive). */
  select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesSamples>;
  /** Label names present on series in [mint, maxt] (all time when omitted). */
  labelNames(mint?: number, maxt?: number): string[];
  /** Values of one label on series in [mint, maxt] (all time when omitted). */
  labelValues(name: string, mint?: number, maxt?: number): string[];
}

/** Prometheus' staleness marker: a NaN with this exact bit pattern (value.StaleNaN). */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

const scratch = new DataView(new ArrayBuffer(8));

export function staleNaN(): number {
  scratch.setBigUint64(0, STALE_NAN_BITS);
  return scratch.getFloat64(0);
}

/**
 * True for the staleness marker. The quiet bit is ignored: V8 quiets this signalling NaN when it
 * passes through a plain JS array (0x7ff0… becomes 0x7ff8…), while typed arrays keep it as is.
 */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  scratch.setFloat64(0, v);
  return (scratch.getBigUint64(0) & ~QUIET_BIT) === STALE_NAN_BITS;
}

const QUIET_BIT = 0x0008000000000000n;
