/**
 * Seeded generators of hostile option values for the property tests: numbers that parse but do
 * not fit, numbers that almost parse, and noise. The seed is fixed so a failure replays; set
 * OPSDECK_PROPERTY_SEED to explore others.
 */
export const SEED = Number(process.env.OPSDECK_PROPERTY_SEED ?? 20261207);

/** mulberry32: small, fast, good enough to spread test cases. */
export function rng(seed = SEED): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');

/** Written out so every run covers them, whatever the seed. */
const FIXED = [
  '', ' ', '0', '-0', '-1', '+5', '00', '1e3', '1e400', '5e225', '0x10', 'NaN', 'Infinity', '-Infinity', '٣', '1_000', '1,5', '1.', '.5',
  '9223372036854775808', '18446744073709551616', '9007199254740991', '9007199254740992', '9007199254740993', '9'.repeat(400),
  '814441939187084d', '2147483647d', '99999999999d', '9007199254740993ms', '24d', '24d1ms', '2073600000ms', '2073600001ms', '25d',
  'NaNM5us2e83y', '7w49735S', '43ns6508964009272.628906w', 'Infinityw244.606s', '31966620s', '1h30m', '1.5s', '100ms', '99ms',
  'now', 'now-', 'now-1h', '-15m', 'now-100000000d', 'now-36500d', 'now-36501d', '2026-11-25T10:00:00Z', '2026-13-45T99:99:99Z', '99999-01-01',
  '275760-09-13T00:00:00.001Z', '1764064800', '1e300', '8640000000000', '8640000000001', '-8640000000001',
  '0.0', '10000', '10000.0001', '65535', '65536', '30526935648971005404',
];

const UNITS = ['ms', 's', 'm', 'h', 'd', 'w', 'y', 'us', 'ns', 'M', 'S', '', '', ''];
const NOISE = 'abcdefxyzNIaINF0123456789.-+eE:_ /TZ,%@!()[]{}~^&*=?|<>';

/** One hostile value: fixed cases first, then random shapes. */
export function hostile(r: () => number, i: number): string {
  if (i < FIXED.length) return FIXED[i]!;
  switch (Math.floor(r() * 5)) {
    case 0:
      return `${digits(r, 1 + Math.floor(r() * 30))}${r() < 0.3 ? `.${digits(r, 1 + Math.floor(r() * 8))}` : ''}${pick(r, UNITS)}`;
    case 1:
      return Array.from({ length: 2 + Math.floor(r() * 3) }, () => `${digits(r, 1 + Math.floor(r() * 18))}${pick(r, UNITS)}`).join('');
    case 2:
      return Array.from({ length: Math.floor(r() * 24) }, () => pick(r, NOISE.split(''))).join('');
    case 3:
      return `${pick(r, ['-', '+', '', '', 'now-'])}${digits(r, 1 + Math.floor(r() * 25))}${pick(r, ['', 'e', 'e+', '.'])}${digits(r, Math.floor(r() * 4))}${pick(r, UNITS)}`;
    default:
      return String(Math.floor(r() * 10 ** (1 + Math.floor(r() * 20))));
  }
}

/** `count` hostile values for one option type. */
export function hostileValues(count: number, seed = SEED): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => hostile(r, i));
}
