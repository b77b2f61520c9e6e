import { SeededRandom } from './seeded-random.js';

export interface ZipfSpec {
  /** The exponent: key of rank r is requested with probability proportional to 1 / r^s. */
  s: number;
  keys: number;
  requests: number;
  seed: number;
}

/**
 * A synthetic Zipf trace: key `r - 1` is the key of rank r. Drawn with Walker's alias method
 * (12 bytes a key to set up, then constant time a request), seeded so a run can be repeated.
 */
export function zipfTrace(spec: ZipfSpec): Int32Array {
  const { keys, requests } = spec;
  const weights = new Float64Array(keys);
  let total = 0;
  for (let r = 0; r < keys; r++) total += weights[r] = 1 / Math.pow(r + 1, spec.s);
  const { prob, alias } = aliasTable(weights, total);
  const random = new SeededRandom(spec.seed);
  const trace = new Int32Array(requests);
  for (let i = 0; i < requests; i++) {
    const u = random.next() * keys;
    const column = Math.floor(u);
    trace[i] = u - column < prob[column]! ? column : alias[column]!;
  }
  return trace;
}

/** Vose's construction: each column keeps its own key with probability prob, else its alias. */
function aliasTable(weights: Float64Array, total: number): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    prob[i] = (weights[i]! * n) / total;
    if (prob[i]! < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[--nl]!;
    alias[s] = l;
    prob[l] = prob[l]! + prob[s]! - 1;
    if (prob[l]! < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  // What is left is 1 up to rounding.
  while (nl > 0) prob[large[--nl]!] = 1;
  while (ns > 0) prob[small[--ns]!] = 1;
  return { prob, alias };
}
