/**
 * The known word a mistyped one most likely meant, or undefined when none is close. Case, `_`,
 * `-` and `[]` are ignored first, so `defaultprofile`, `partial_response` and `replicaLabels[]`
 * find `defaultProfile`, `partialResponse` and `replicaLabels`; then up to two edits (one for
 * short words) are allowed, so `pasword` finds `password` and `profiels` finds `profiles`.
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_[\]]/g, '');
  const w = norm(word);
  const same = known.find((k) => norm(k) === w);
  if (same !== undefined) return same;
  const limit = w.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const d = editDistance(w, norm(k), bestDistance);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Damerau-Levenshtein (adjacent swaps count one), giving up once every path exceeds `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= cap) return cap;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}
