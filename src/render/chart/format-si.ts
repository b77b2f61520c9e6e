const PREFIXES: ReadonlyArray<readonly [number, string]> = [
  [1e24, 'Y'], [1e21, 'Z'], [1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'],
  [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f'], [1e-18, 'a'], [1e-21, 'z'], [1e-24, 'y'],
];

/**
 * A number in at most `digits` significant digits with an SI prefix: 1234 → `1.23k`,
 * 0.000012 → `12µ`, 1e12 → `1T`, -4 → `-4`. Beyond the prefixes it falls back to `1.5e30`.
 * Non-finite values read `-`, so a chart never shows NaN or Infinity.
 */
export function formatSi(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '-';
  if (v === 0) return '0';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  let i = prefixIndex(a);
  if (i < 0) return sign + exponent(a, digits);
  let scaled = Number((a / PREFIXES[i]![0]).toPrecision(digits));
  // 999.7 rounds to 1000: that is 1k, not 1000.
  if (scaled >= 1000 && i > 0) {
    i -= 1;
    scaled = Number((a / PREFIXES[i]![0]).toPrecision(digits));
  }
  return `${sign}${scaled}${PREFIXES[i]![1]}`;
}

/**
 * An axis tick: SI prefix by the value's own size, and exactly as many decimals as the tick step
 * needs, so neighbouring ticks never read the same (1.0001k, 1.0002k) and round ones stay short.
 */
export function formatTick(v: number, step: number): string {
  if (!Number.isFinite(v)) return '-';
  if (!(step > 0) || !Number.isFinite(step)) return formatSi(v);
  const snapped = Math.round(v / step) * step;
  if (Math.abs(snapped) < step * 1e-6) return '0';
  const a = Math.abs(snapped);
  let i = prefixIndex(a);
  if (i < 0) return formatSi(snapped);
  let text = fixed(a / PREFIXES[i]![0], decimalsFor(step / PREFIXES[i]![0]));
  if (Number(text) >= 1000 && i > 0) {
    i -= 1;
    text = fixed(a / PREFIXES[i]![0], decimalsFor(step / PREFIXES[i]![0]));
  }
  return `${snapped < 0 ? '-' : ''}${text}${PREFIXES[i]![1]}`;
}

function prefixIndex(a: number): number {
  if (a >= 1e27 || a < 1e-24) return -1;
  const i = PREFIXES.findIndex(([scale]) => a >= scale * (1 - 1e-12));
  return i < 0 ? PREFIXES.length - 1 : i;
}

/** Decimals needed to write multiples of `step` exactly (0.25 → 2, 0.5 → 1, 50 → 0). */
function decimalsFor(step: number): number {
  for (let d = 0; d < 12; d++) {
    const x = step * 10 ** d;
    if (Math.abs(x - Math.round(x)) < 1e-6 * Math.max(1, x)) return d;
  }
  return 12;
}

function fixed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function exponent(a: number, digits: number): string {
  const [m = '0', e = '0'] = a.toExponential(Math.max(0, digits - 1)).split('e');
  return `${Number(m)}e${Number(e)}`;
}
