/**
 * Go's time.Duration text, both ways. Consul parses `wait`, `TTL`, `Interval`, `Timeout` and
 * `DeregisterCriticalServiceAfter` with time.ParseDuration and writes them back with
 * Duration.String(), so "1m" comes back as "1m0s": the fake must do the same or the adapter would
 * be tested against shapes no real agent sends.
 */

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Milliseconds for a Go duration string ("10s", "1m30s", "250ms"); null when Go would reject it. */
export function parseGoDuration(text: string): number | null {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let ns = 0;
  let pos = 0;
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    sign = text.startsWith('-') ? -1 : 1;
    pos = 1;
  }
  if (pos >= text.length) return null;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    ns += Number(m[1]) * UNIT_NS[m[2]!]!;
    pos = re.lastIndex;
  }
  return (sign * ns) / 1e6;
}

/** Duration.String() of a number of milliseconds: "10s", "1m0s", "1h0m0s", "250ms", "0s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let ns = Math.round(Math.abs(ms) * 1e6);
  let out: string;
  if (ns < 1e9) {
    // Below one second Go picks the largest unit that keeps an integer part.
    if (ns < 1e3) out = `${ns}ns`;
    else if (ns < 1e6) out = `${trim(ns / 1e3)}µs`;
    else out = `${trim(ns / 1e6)}ms`;
  } else {
    const h = Math.floor(ns / 3600e9);
    ns -= h * 3600e9;
    const m = Math.floor(ns / 60e9);
    ns -= m * 60e9;
    const s = `${trim(ns / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
