/**
 * Numbers as Prometheus' HTTP API writes them: Go's strconv.FormatFloat(v, 'f', -1, 64), the
 * shortest digits that round-trip, never in exponent form, with NaN, +Inf and -Inf spelled out.
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // JS switches to exponent form below 1e-6 and from 1e21; expand it.
  const neg = s[0] === '-';
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const digits = mantissa.replace('.', '');
  const point = (mantissa.indexOf('.') < 0 ? mantissa.length : mantissa.indexOf('.')) + exp;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (neg ? '-' : '') + out;
}

/** Seconds since the epoch as the API's JSON number (milliseconds precision). */
export function apiTime(ms: number): number {
  return ms / 1000;
}
