/**
 * Posting lists: for each small integer key, the items that have it, in increasing item order.
 * Stored as one flat array plus offsets (compressed sparse rows), which for 100k names and a few
 * million entries is one allocation instead of thousands of growing arrays.
 */
export class Postings {
  private constructor(
    private readonly offsets: Int32Array,
    private readonly entries: Int32Array,
  ) {}

  /**
   * `keysOf(item, into)` writes the keys of one item into `into` (repeats allowed) and returns how
   * many it wrote; it is called twice per item (count, then fill), so it must be deterministic.
   * `maxKeysPerItem` sizes that buffer. Filling a buffer rather than calling back per key keeps
   * building a few million entries at one function call per item.
   */
  static build(itemCount: number, keyCount: number, maxKeysPerItem: number, keysOf: (item: number, into: Int32Array) => number): Postings {
    const buf = new Int32Array(maxKeysPerItem);
    const counts = new Int32Array(keyCount + 1);
    // seen[key] holds item + 1 of the last item that had the key, so repeats count once.
    const seen = new Int32Array(keyCount);
    for (let item = 0; item < itemCount; item++) {
      const k = keysOf(item, buf);
      for (let j = 0; j < k; j++) {
        const key = buf[j]!;
        if (seen[key] === item + 1) continue;
        seen[key] = item + 1;
        counts[key + 1]!++;
      }
    }
    for (let key = 0; key < keyCount; key++) counts[key + 1]! += counts[key]!;
    const offsets = counts.slice();
    const entries = new Int32Array(offsets[keyCount]!);
    const next = counts; // from here on, the next free slot of each key
    seen.fill(0);
    for (let item = 0; item < itemCount; item++) {
      const k = keysOf(item, buf);
      for (let j = 0; j < k; j++) {
        const key = buf[j]!;
        if (seen[key] === item + 1) continue;
        seen[key] = item + 1;
        entries[next[key]!++] = item;
      }
    }
    return new Postings(offsets, entries);
  }

  list(key: number): Int32Array {
    return this.entries.subarray(this.offsets[key]!, this.offsets[key + 1]!);
  }

  get size(): number {
    return this.entries.length;
  }
}

/**
 * The posting key of a lowercase character: letters and digits get their own, the word
 * separators theirs, everything else shares one (lists are then supersets, and every hit is
 * verified against the string anyway).
 */
export function symbolOf(code: number): number {
  return code < 128 ? ASCII_SYMBOL[code]! : OTHER;
}

const OTHER = 41;
/** symbolOf for ASCII as a table: index building calls it for every character of 100k names. */
const ASCII_SYMBOL = Uint8Array.from({ length: 128 }, (_, code) => {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return code - 48 + 26;
  const i = '-./:_'.indexOf(String.fromCharCode(code));
  return i >= 0 ? 36 + i : OTHER;
});

export const SYMBOLS = 42;
/** One character per symbol (for "other", one that is none of the named ones), to derive per-symbol tables. */
export const SYMBOL_SAMPLE: readonly string[] = [...'abcdefghijklmnopqrstuvwxyz0123456789-./:_', '\u00e9'];
export const UNIGRAM_KEYS = SYMBOLS;
export const BIGRAM_KEYS = SYMBOLS * SYMBOLS;

export function bigramKey(a: number, b: number): number {
  return a * SYMBOLS + b;
}
