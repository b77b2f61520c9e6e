/**
 * The matching rules shared by every completion list, in one place so that the plain ranking
 * (`rank`) and the indexed one (`FuzzyIndex`) cannot drift apart. All inputs are lowercase: the
 * callers lowercase once, which is what makes matching case-insensitive.
 *
 * Tiers, best first: 0 prefix, 1 word boundary (the query starts right after - . / _ :),
 * 2 substring, 3 subsequence (the query's letters in order, fzf-style).
 */
export const PREFIX = 0;
export const BOUNDARY = 1;
export const SUBSTRING = 2;
export const SUBSEQUENCE = 3;

/** True for the characters after which a new word of a name starts. */
export function isBoundary(code: number): boolean {
  // '-' 45, '.' 46, '/' 47, ':' 58, '_' 95
  return code === 45 || code === 46 || code === 47 || code === 58 || code === 95;
}

/** 0, 1 or 2 when `query` occurs in `s` (prefix, at a word boundary, elsewhere), else -1. */
export function substringTier(s: string, query: string): number {
  let i = s.indexOf(query);
  if (i < 0) return -1;
  if (i === 0) return PREFIX;
  // A later occurrence may sit on a boundary even when the first does not ("xorders-ord").
  while (i > 0) {
    if (isBoundary(s.charCodeAt(i - 1))) return BOUNDARY;
    i = s.indexOf(query, i + 1);
  }
  return SUBSTRING;
}

/**
 * How loosely `chars` (the query split into one-character strings) occur in order in `s`: the
 * number of extra characters inside the tightest window ending at the first complete greedy
 * match, or -1 when they do not all occur in order. The forward-then-backward pass is fzf's v1
 * algorithm: cheap, and it finds "pmt" in "payments-main-tx" as the window "ments-main-t" rather
 * than one starting at the first "p".
 */
export function subsequenceCost(s: string, chars: readonly string[]): number {
  let pos = -1;
  for (const c of chars) {
    pos = s.indexOf(c, pos + 1);
    if (pos < 0) return -1;
  }
  const end = pos;
  for (let j = chars.length - 2; j >= 0; j--) pos = s.lastIndexOf(chars[j]!, pos - 1);
  return end - pos + 1 - chars.length;
}

/** True when `chars` occur in order in `s`; the forward half of subsequenceCost. */
export function isSubsequence(s: string, chars: readonly string[]): boolean {
  let pos = -1;
  for (const c of chars) {
    pos = s.indexOf(c, pos + 1);
    if (pos < 0) return false;
  }
  return true;
}

/**
 * A bitmask of the characters in a lowercase string: one bit per letter, one for digits, and a
 * few for punctuation and everything else. A string can only match a query whose mask bits it
 * all has, so one AND rejects most impossible candidates before any string is read.
 */
export function charMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) m |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) m |= 1 << 26;
    else if (c === 45) m |= 1 << 27;
    else if (c === 46) m |= 1 << 28;
    else if (c === 47 || c === 58 || c === 95) m |= 1 << 29;
    else m |= 1 << 30;
  }
  return m;
}

/**
 * How many subsequence matches are ranked by tightness: the first this many in (length,
 * alphabetical) order, five times the default limit. Finding every subsequence match of a short
 * query in 100k names and scoring them all costs milliseconds (a pool of 1000 already missed the
 * 2 ms target in bench/completion.mjs), and loose matches of long names are the least likely to
 * be wanted, so the search stops there. Prefix, boundary and substring matches are always ranked
 * exactly.
 */
export const FUZZY_POOL = 250;

/** Length as used in ranking: clamped so that it fits its field of the rank key. */
export function rankLength(length: number): number {
  return length > 1023 ? 1023 : length;
}

/*
 * A match's rank packed into one number, lower is better, so ranking is a numeric comparison:
 * tier, then (subsequence only) cost, then length, then position in alphabetical order. Each field
 * gets its own bit range; lengths and costs are clamped so they cannot spill into the next field.
 */
const POS_BITS = 2 ** 21; // positions below ~2M; beyond that only the alphabetical tie-break blurs
const LEN_FIELD = 1024 * POS_BITS;
const COST_FIELD = 1024 * LEN_FIELD;
const TIER_FIELD = 1024 * COST_FIELD;

export function rankKey(tier: number, cost: number, length: number, pos: number): number {
  return tier * TIER_FIELD + Math.min(cost, 1023) * LEN_FIELD + rankLength(length) * POS_BITS + pos;
}

/** The alphabetical position stored in a rank key. */
export function positionOf(key: number): number {
  return key % POS_BITS;
}

/** The tier stored in a rank key. */
export function tierOf(key: number): number {
  return Math.floor(key / TIER_FIELD);
}

/** The order every list is sorted in before ranking: lowercase text, then the original as a tie-break. */
export function compareAlphabetical(aLower: string, aValue: string, bLower: string, bValue: string): number {
  if (aLower !== bLower) return aLower < bLower ? -1 : 1;
  return aValue < bValue ? -1 : aValue > bValue ? 1 : 0;
}
