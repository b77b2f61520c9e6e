import { FUZZY_POOL, SUBSEQUENCE, compareAlphabetical, positionOf, rankKey, rankLength, substringTier, subsequenceCost } from './match.js';

/**
 * Ranks `values` against a partial word, best first, at most `limit`: the plain version of the
 * completion ranking, used for short lists (commands, flags, choices) and as the reference the
 * indexed version is tested against.
 *
 * Order: prefix matches, then word-boundary, then substring matches, each shortest first and
 * alphabetical among equal lengths; then subsequence matches, tightest first (see FUZZY_POOL for
 * which of them are considered). An empty query lists everything alphabetically, because with
 * nothing typed a shorter name is no better a guess. Matching ignores case; duplicates are dropped.
 */
export function rank(values: readonly string[], query: string, limit: number): string[] {
  if (limit <= 0) return [];
  const sorted = [...new Set(values)]
    .map((value) => ({ value, lower: value.toLowerCase() }))
    .sort((a, b) => compareAlphabetical(a.lower, a.value, b.lower, b.value));
  if (query === '') return sorted.slice(0, limit).map((e) => e.value);
  const q = query.toLowerCase();
  const chars = [...q];
  const keys: number[] = [];
  const fuzzy: Array<{ pos: number; len: number; cost: number }> = [];
  sorted.forEach((e, pos) => {
    const tier = substringTier(e.lower, q);
    if (tier >= 0) {
      keys.push(rankKey(tier, 0, e.lower.length, pos));
      return;
    }
    const cost = subsequenceCost(e.lower, chars);
    if (cost >= 0) fuzzy.push({ pos, len: rankLength(e.lower.length), cost });
  });
  fuzzy.sort((a, b) => a.len - b.len || a.pos - b.pos);
  for (const f of fuzzy.slice(0, FUZZY_POOL)) keys.push(rankKey(SUBSEQUENCE, f.cost, f.len, f.pos));
  return keys
    .sort((a, b) => a - b)
    .slice(0, limit)
    .map((key) => sorted[positionOf(key)]!.value);
}
