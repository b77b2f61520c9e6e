import { POLICIES, sizesFor, type PolicyName } from '../../core/cache-sim/policy-names.js';
import { usage } from '../../core/errors.js';
import { readNumber } from '../option-types.js';
import type { OptionDef, RawValue } from '../types.js';

const last = (raw: RawValue) => (Array.isArray(raw) ? raw.at(-1) : typeof raw === 'string' ? raw : undefined);

/** `--zipf S`: the exponent, optional (its presence picks the synthetic source). */
export const ZIPF_OPTION: OptionDef<number | undefined> = {
  summary: 'replay a synthetic Zipf trace with this exponent (with --keys, --requests, --seed)',
  value: 's',
  read(raw, flag) {
    const text = last(raw);
    if (text === undefined) return undefined;
    const s = readNumber(text.trim(), flag, 0, 5, `${flag} 1.0`);
    if (s === 0) throw usage(`${flag} must be above 0, not "${text}"`, `for example ${flag} 0.8 (mild skew) or ${flag} 1.2 (strong)`);
    return s;
  },
};

/** A size list: entries (`5000`) or shares of the distinct keys (`2.5%`), comma-separated. */
export type SizeSpec = Array<{ entries: number } | { share: number }>;

export const SIZES_OPTION: OptionDef<SizeSpec | undefined> = {
  summary: 'cache sizes to try: entries or percentages of the distinct keys, comma-separated (default 1%,2%,5%,10%,15%,20%)',
  value: 'list',
  read(raw, flag) {
    const text = last(raw);
    if (text === undefined) return undefined;
    const out: SizeSpec = [];
    for (const word of text.split(',').map((w) => w.trim())) {
      const pct = /^(\d+(?:\.\d+)?)%$/.exec(word);
      if (pct && Number(pct[1]) > 0 && Number(pct[1]) <= 100) out.push({ share: Number(pct[1]) / 100 });
      else if (/^\d+$/.test(word) && Number(word) >= 1 && Number(word) <= 1e9) out.push({ entries: Number(word) });
      else throw usage(`${flag} takes sizes in entries or percentages, not "${word}"`, `for example ${flag} 1%,5%,10% or ${flag} 1000,5000`);
    }
    return out;
  },
};

export const POLICIES_OPTION: OptionDef<PolicyName[]> = {
  summary: `policies to simulate, comma-separated: ${POLICIES.join(', ')} (default all)`,
  value: 'list',
  default: POLICIES.join(','),
  read(raw, flag) {
    const text = last(raw);
    if (text === undefined) return [...POLICIES];
    const words = text.split(',').map((w) => w.trim().toLowerCase());
    for (const w of words) if (!(POLICIES as readonly string[]).includes(w)) throw usage(`${flag}: unknown policy "${w}"`, `choose among ${POLICIES.join(', ')}`);
    return POLICIES.filter((p) => words.includes(p));
  },
};

/** The sizes to simulate for a trace with `distinct` keys: whole entries, ascending, no repeats. */
export function resolveSizes(spec: SizeSpec | undefined, distinct: number): number[] {
  if (spec === undefined) return sizesFor(distinct);
  const sizes = spec.map((s) => ('entries' in s ? s.entries : Math.max(1, Math.round(s.share * distinct))));
  return [...new Set(sizes)].sort((a, b) => a - b);
}
