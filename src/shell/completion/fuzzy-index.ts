import {
  BOUNDARY,
  FUZZY_POOL,
  SUBSEQUENCE,
  SUBSTRING,
  charMask,
  compareAlphabetical,
  isBoundary,
  positionOf,
  rankKey,
  rankLength,
  substringTier,
  subsequenceCost,
} from './match.js';
import { BIGRAM_KEYS, Postings, SYMBOLS, SYMBOL_SAMPLE, UNIGRAM_KEYS, bigramKey, symbolOf } from './postings.js';
import { TopKeys } from './top-keys.js';

/**
 * A fuzzy search that finished or stopped: every rank below `scannedTo` was examined, and
 * `matches` are those of them that contain the query as a subsequence (any tier), in rank order.
 */
interface Narrowing {
  query: string;
  matches: Int32Array;
  scannedTo: number;
}

/** How many shrinking match sets to keep while a word is typed; deeper words start over. */
const MAX_TRAIL = 64;

/**
 * A list of names prepared once for completion, ranking exactly like `rank`, fast enough to run on
 * every keystroke over 100k names.
 *
 * Names are kept in two orders. "Position" is alphabetical order (lowercase first): the names
 * starting with the query are one contiguous run, found by binary search. "Rank" is (length,
 * position) order, which is the order within each match tier, so a walk in rank order can stop as
 * soon as it has found enough names of a tier: later ones could only rank lower. The walks are:
 * - prefix: the binary-searched run; when it alone fills the limit nothing else is read (the
 *   common case while a word is typed from its start);
 * - word boundary: names having a word (after - . / _ :) that starts with the query's first one or
 *   two characters, intersected with the names containing each further character pair;
 * - substring: the intersection of the posting lists of the query's character pairs, or for one
 *   character every name whose character mask has it;
 * - subsequence, only when the tiers above leave room: names whose character mask has all the
 *   query's characters, scored by tightness, stopping after FUZZY_POOL matches. Every match of
 *   "pmts" also matches "pmt", so the walk remembers which names matched and the next keystroke
 *   reads only those; backspace goes back to a remembered shorter query.
 * Intersections compare integers only, so a pair common to thousands of names costs microseconds.
 * Every candidate is then checked against the string itself, so the lists only need to be
 * supersets of the truth (characters outside ASCII letters, digits and separators share a key).
 */
export class FuzzyIndex {
  /** Deduplicated values in alphabetical order (by lowercase, then original). */
  readonly values: readonly string[];
  private readonly lower: readonly string[];
  /** rank → position. */
  private readonly order: Int32Array;
  /** Ranked length and character mask, by rank, so walks read memory in order. */
  private readonly lengthByRank: Uint16Array;
  private readonly maskByRank: Int32Array;
  private readonly lengthByPos: Uint16Array;
  /** Keys: a character (UNIGRAM) or a pair (UNIGRAM_KEYS + pair) that starts a word other than the first. */
  private readonly boundary: Postings;
  /** Keys: every character pair a name contains. */
  private readonly pairs: Postings;
  private readonly scratch: Int32Array;
  /** Each entry's query is a prefix of the next one's, so the next one's matches are within it. */
  private trail: Narrowing[] = [];
  private last: { query: string; limit: number; result: string[] } | undefined = undefined;

  constructor(input: readonly string[]) {
    const { values, lower } = sortedUnique(input);
    const n = values.length;
    this.values = values;
    this.lower = lower;
    this.lengthByPos = new Uint16Array(n);
    const rankKeys = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      this.lengthByPos[p] = rankLength(lower[p]!.length);
      rankKeys[p] = this.lengthByPos[p]! * 4294967296 + p;
    }
    rankKeys.sort();
    this.order = new Int32Array(n);
    this.lengthByRank = new Uint16Array(n);
    for (let r = 0; r < n; r++) {
      const p = rankKeys[r]! % 4294967296;
      this.order[r] = p;
      this.lengthByRank[r] = this.lengthByPos[p]!;
    }
    // Every name as posting symbols, in rank order, in one array: the mask and both posting lists
    // are computed from it, which reads each string once instead of three times.
    const starts = new Int32Array(n + 1);
    for (let r = 0; r < n; r++) starts[r + 1] = starts[r]! + lower[this.order[r]!]!.length;
    const syms = new Uint8Array(starts[n]!);
    this.maskByRank = new Int32Array(n);
    let longest = 1;
    for (let r = 0; r < n; r++) {
      const s = lower[this.order[r]!]!;
      const o = starts[r]!;
      let m = 0;
      for (let i = 0; i < s.length; i++) {
        const sym = symbolOf(s.charCodeAt(i));
        syms[o + i] = sym;
        m |= SYMBOL_MASK[sym]!;
      }
      this.maskByRank[r] = m;
      if (s.length > longest) longest = s.length;
    }
    this.boundary = Postings.build(n, UNIGRAM_KEYS + BIGRAM_KEYS, 2 * longest, (r, into) => {
      const end = starts[r + 1]!;
      let k = 0;
      for (let i = starts[r]! + 1; i < end; i++) {
        if (!BOUNDARY_SYMBOL[syms[i - 1]!]) continue;
        const a = syms[i]!;
        into[k++] = a;
        if (i + 1 < end) into[k++] = UNIGRAM_KEYS + bigramKey(a, syms[i + 1]!);
      }
      return k;
    });
    this.pairs = Postings.build(n, BIGRAM_KEYS, longest, (r, into) => {
      const end = starts[r + 1]!;
      let k = 0;
      for (let i = starts[r]! + 1; i < end; i++) into[k++] = bigramKey(syms[i - 1]!, syms[i]!);
      return k;
    });
    this.scratch = new Int32Array(n);
  }

  get size(): number {
    return this.values.length;
  }

  /** The values matching `query`, best first, at most `limit`; the same answer as `rank`. */
  search(query: string, limit: number): string[] {
    if (limit <= 0) return [];
    const q = query.toLowerCase();
    // A re-render asks the same question again; answer it without any work.
    if (this.last && this.last.query === q && this.last.limit === limit) return this.last.result;
    const result = this.compute(q, limit).map((p) => this.values[p]!);
    this.last = { query: q, limit, result };
    return result;
  }

  /** Positions, best first. */
  private compute(q: string, limit: number): number[] {
    if (q === '') return range(0, Math.min(limit, this.values.length));
    const lo = this.lowerBound(q);
    const hi = this.prefixEnd(q, lo);
    const out = this.shortestIn(lo, hi, limit);
    if (out.length < limit) this.boundaryMatches(q, limit - out.length, out);
    if (out.length < limit) this.substringMatches(q, limit - out.length, out);
    if (out.length < limit) this.fuzzyMatches(q, limit - out.length, out);
    return out;
  }

  /** First position whose text is >= q. */
  private lowerBound(q: string): number {
    let lo = 0;
    let hi = this.lower.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lower[mid]! < q) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** End of the run of positions from `lo` that start with q (they are contiguous when sorted). */
  private prefixEnd(q: string, lo: number): number {
    let a = lo;
    let hi = this.lower.length;
    while (a < hi) {
      const mid = (a + hi) >>> 1;
      if (this.lower[mid]!.startsWith(q)) a = mid + 1;
      else hi = mid;
    }
    return a;
  }

  /**
   * The best `limit` positions of [lo, hi) by (length, position). Lengths are small integers, so
   * a histogram finds the cut-off length in one pass and a second pass collects, with no sort of
   * the whole run (which is all 100k names for a one-letter query).
   */
  private shortestIn(lo: number, hi: number, limit: number): number[] {
    const lengths = this.lengthByPos;
    if (hi - lo > limit) {
      const counts = LENGTH_COUNTS.fill(0);
      for (let p = lo; p < hi; p++) counts[lengths[p]!]!++;
      let cut = 0;
      let below = 0;
      while (below + counts[cut]! < limit) below += counts[cut++]!;
      // Every position shorter than `cut` is in, and the first `room` of those exactly `cut` long.
      let room = limit - below;
      const chosen: number[] = [];
      for (let p = lo; p < hi; p++) {
        const len = lengths[p]!;
        if (len < cut || (len === cut && room-- > 0)) chosen.push(p);
      }
      return chosen.sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    }
    return range(lo, hi).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  }

  /** Appends up to `need` word-boundary matches in rank order (which is their ranking order). */
  private boundaryMatches(q: string, need: number, out: number[]): void {
    const a = symbolOf(q.charCodeAt(0));
    if (q.length === 1) {
      walk([this.boundary.list(a)], (r) => this.take(r, q, BOUNDARY, out) && --need === 0);
      return;
    }
    // A word of the name starts with the query's first pair, and the name has all its other pairs.
    const lists = [this.boundary.list(UNIGRAM_KEYS + bigramKey(a, symbolOf(q.charCodeAt(1)))), ...this.pairLists(q, 1)];
    walk(lists, (r) => this.take(r, q, BOUNDARY, out) && --need === 0);
  }

  /** Appends up to `need` substring (not prefix, not boundary) matches in rank order. */
  private substringMatches(q: string, need: number, out: number[]): void {
    if (q.length === 1) {
      const m = charMask(q);
      const masks = this.maskByRank;
      for (let r = 0; r < masks.length && need > 0; r++) if ((masks[r]! & m) === m && this.take(r, q, SUBSTRING, out)) need--;
      return;
    }
    walk(this.pairLists(q, 0), (r) => this.take(r, q, SUBSTRING, out) && --need === 0);
  }

  /** The posting lists of the character pairs of q from index `from` on, each once. */
  private pairLists(q: string, from: number): Int32Array[] {
    const keys = new Set<number>();
    for (let i = from + 1; i < q.length; i++) keys.add(bigramKey(symbolOf(q.charCodeAt(i - 1)), symbolOf(q.charCodeAt(i))));
    return [...keys].map((k) => this.pairs.list(k));
  }

  /** Appends rank r's position when q matches it in exactly `tier`. */
  private take(r: number, q: string, tier: number, out: number[]): boolean {
    const p = this.order[r]!;
    if (substringTier(this.lower[p]!, q) !== tier) return false;
    out.push(p);
    return true;
  }

  /**
   * Appends the best `need` subsequence-only matches among the first FUZZY_POOL of them in rank
   * order, tightest first. Walks the remembered matches of a shorter query when q extends one.
   */
  private fuzzyMatches(q: string, need: number, out: number[]): void {
    while (this.trail.length > 0 && !q.startsWith(this.trail[this.trail.length - 1]!.query)) this.trail.pop();
    const base = this.trail[this.trail.length - 1];
    const chars = [...q];
    const qmask = charMask(q);
    const n = this.order.length;
    const masks = this.maskByRank;
    const matched = this.scratch;
    const top = new TopKeys(need);
    let found = 0;
    let pool = 0;
    let scannedTo = n;
    const stopAt = rankKey(SUBSEQUENCE, 2, 0, 0);
    /** Examines rank r; true when the walk can stop. */
    const visit = (r: number): boolean => {
      const p = this.order[r]!;
      const s = this.lower[p]!;
      // Most names examined do not match at all, so the subsequence test comes first.
      const cost = subsequenceCost(s, chars);
      if (cost < 0) return false;
      matched[found++] = r;
      // Substring matches were ranked by the exact walks above; they are kept only as matches for
      // the next keystroke. (Cost 0 is a substring; a positive cost can still hide one further on.)
      if (cost === 0 || substringTier(s, q) >= 0) return false;
      top.offer(rankKey(SUBSEQUENCE, cost, this.lengthByRank[r]!, p));
      // Stop at the pool size, or once the list is full of cost-1 matches (the least possible):
      // every later match is at least as loose and longer, so it could not get in.
      return ++pool >= FUZZY_POOL || (top.full() && top.worst() < stopAt);
    };
    // The ranks to examine, in order: the base's matches, then every rank the base did not reach.
    const baseMatches = base ? base.matches : undefined;
    let stopped = false;
    if (baseMatches) {
      for (let i = 0; i < baseMatches.length && !stopped; i++) {
        const r = baseMatches[i]!;
        if ((masks[r]! & qmask) === qmask && visit(r)) {
          stopped = true;
          scannedTo = r + 1;
        }
      }
    }
    for (let r = base ? base.scannedTo : 0; r < n && !stopped; r++) {
      if ((masks[r]! & qmask) === qmask && visit(r)) {
        stopped = true;
        scannedTo = r + 1;
      }
    }
    if (!base || base.query !== q) {
      this.trail.push({ query: q, matches: matched.slice(0, found), scannedTo });
      if (this.trail.length > MAX_TRAIL) this.trail.shift();
    }
    for (const key of top.keys) out.push(positionOf(key));
  }
}

/** Scratch histogram for shortestIn, shared: searches are synchronous, so they never overlap. */
const LENGTH_COUNTS = new Uint32Array(1024);

/** charMask's bit for each posting symbol, so masks can be computed from symbols. */
const SYMBOL_MASK = Int32Array.from({ length: SYMBOLS }, (_, sym) => charMask(SYMBOL_SAMPLE[sym]!));
/** Which posting symbols are word separators (isBoundary). */
const BOUNDARY_SYMBOL = Uint8Array.from({ length: SYMBOLS }, (_, sym) => (isBoundary(SYMBOL_SAMPLE[sym]!.charCodeAt(0)) ? 1 : 0));

/**
 * Calls `visit` with every rank present in all `lists` (each ascending), in ascending order, until
 * it returns true. Walks the shortest list and advances a cursor in each of the others, so it reads
 * integers only, each at most once, and stops as early as the caller is satisfied.
 */
function walk(lists: readonly Int32Array[], visit: (rank: number) => boolean): void {
  const sorted = [...lists].sort((x, y) => x.length - y.length);
  const lead = sorted[0];
  if (!lead) return;
  const rest = sorted.slice(1);
  const at = new Int32Array(rest.length);
  outer: for (let i = 0; i < lead.length; i++) {
    const r = lead[i]!;
    for (let k = 0; k < rest.length; k++) {
      const list = rest[k]!;
      let j = at[k]!;
      while (j < list.length && list[j]! < r) j++;
      at[k] = j;
      if (j === list.length) return;
      if (list[j] !== r) continue outer;
    }
    if (visit(r)) return;
  }
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i < hi; i++) out.push(i);
  return out;
}

/** Deduplicates and sorts by lowercase text, then original text. */
function sortedUnique(input: readonly string[]): { values: string[]; lower: string[] } {
  let mixed = false;
  for (const v of input) {
    if (v.toLowerCase() !== v) {
      mixed = true;
      break;
    }
  }
  if (!mixed) {
    // The usual case: already lowercase, so the default sort (native UTF-16 order, several times
    // faster than a comparator) gives the order, and duplicates end up adjacent.
    const sorted = input.slice().sort();
    const values = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
    return { values, lower: values };
  }
  const entries = input.map((value) => ({ value, lower: value.toLowerCase() }));
  entries.sort((a, b) => compareAlphabetical(a.lower, a.value, b.lower, b.value));
  const unique = entries.filter((e, i) => i === 0 || e.value !== entries[i - 1]!.value);
  return { values: unique.map((e) => e.value), lower: unique.map((e) => e.lower) };
}

/** Indexes keyed by array identity: the data cache replaces an array when it refreshes, which drops its index. */
const indexes = new WeakMap<readonly string[], FuzzyIndex>();

/** The index of `values`, built on first use and reused while the same array is passed. */
export function fuzzyIndexOf(values: readonly string[]): FuzzyIndex {
  let index = indexes.get(values);
  if (!index) {
    index = new FuzzyIndex(values);
    indexes.set(values, index);
  }
  return index;
}
