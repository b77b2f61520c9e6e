import { formatSi } from './chart/format-si.js';

/**
 * A sample value as text for a table: `0.18627558845102354` reads `0.1863`, `12345678` reads
 * `12.3M`; small integers, `NaN`, `+Inf` and anything that is not a number stay as given. JSON
 * output keeps the server's exact string; this is for eyes only.
 */
export function readableNumber(text: string): string {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return text;
  const v = Number(text);
  if (!Number.isFinite(v)) return text;
  const a = Math.abs(v);
  if (a >= 1e6) return formatSi(v, 3);
  if (Number.isInteger(v)) return String(v);
  if (a !== 0 && a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
