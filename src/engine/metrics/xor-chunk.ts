/**
 * Gorilla-style compressed chunks (Facebook's Gorilla paper, as Prometheus' chunkenc does it):
 * timestamps as delta-of-delta in variable bit widths, values as the XOR with the previous value,
 * storing only the meaningful bits. A regular scrape costs one bit for its timestamp and, for a
 * value that did not change, one bit for the value. JS has no 64-bit integers that are fast, so
 * each 64-bit quantity is handled as two unsigned 32-bit halves.
 */

/** Samples per chunk before a new one starts (Prometheus' choice: decode cost vs compression). */
export const CHUNK_SAMPLES = 120;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian on every platform Node runs on: u32[0] is the low half.
const LO = 0;
const HI = 1;
const TWO32 = 4294967296;

class BitWriter {
  buf = new Uint8Array(32);
  bits = 0;

  write(value: number, n: number): void {
    if ((this.bits + n + 7) >> 3 > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    while (n > 0) {
      const free = 8 - (this.bits & 7);
      const take = free < n ? free : n;
      const part = (value >>> (n - take)) & ((1 << take) - 1);
      this.buf[this.bits >> 3]! |= part << (free - take);
      this.bits += take;
      n -= take;
    }
  }

  /** The low n bits (n ≤ 64) of the 64-bit number hi:lo. */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.write(hi, n - 32);
      this.write(lo, 32);
    } else this.write(lo, n);
  }
}

class BitReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  read(n: number): number {
    let out = 0;
    while (n > 0) {
      const byte = this.buf[this.pos >> 3];
      if (byte === undefined) throw new Error('chunk ends early');
      const avail = 8 - (this.pos & 7);
      const take = avail < n ? avail : n;
      const part = (byte >>> (avail - take)) & ((1 << take) - 1);
      out = ((out << take) | part) >>> 0;
      this.pos += take;
      n -= take;
    }
    return out >>> 0;
  }

  bit(): number {
    return this.read(1);
  }
}

/** Appends samples (time strictly increasing) to one chunk. */
export class ChunkAppender {
  private readonly w = new BitWriter();
  count = 0;
  minT = 0;
  maxT = 0;
  private delta = 0;
  private hi = 0;
  private lo = 0;
  private leading = 0xff;
  private trailing = 0;

  append(t: number, v: number): void {
    f64[0] = v;
    const hi = u32[HI]!;
    const lo = u32[LO]!;
    const w = this.w;
    if (this.count === 0) {
      writeInt64(w, t);
      w.write(hi, 32);
      w.write(lo, 32);
      this.minT = t;
    } else {
      const delta = t - this.maxT;
      writeDod(w, delta - this.delta);
      this.delta = delta;
      this.writeValue(hi, lo);
    }
    this.hi = hi;
    this.lo = lo;
    this.maxT = t;
    this.count++;
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const xh = (hi ^ this.hi) >>> 0;
    const xl = (lo ^ this.lo) >>> 0;
    if (xh === 0 && xl === 0) {
      w.write(0, 1);
      return;
    }
    let leading = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const trailing = xl !== 0 ? ctz(xl) : 32 + ctz(xh);
    // Five bits hold the leading count, so it is capped at 31.
    if (leading > 31) leading = 31;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.write(0b10, 2);
      const sig = 64 - this.leading - this.trailing;
      const [sh, sl] = shr64(xh, xl, this.trailing);
      w.write64(sh, sl, sig);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    const sig = 64 - leading - trailing;
    w.write(0b11, 2);
    w.write(leading, 5);
    // 64 significant bits do not fit in 6; 0 stands for 64 (it cannot occur otherwise).
    w.write(sig & 63, 6);
    const [sh, sl] = shr64(xh, xl, trailing);
    w.write64(sh, sl, sig);
  }

  /** The encoded bytes so far (a copy, trimmed), with their bit length. */
  seal(): SealedChunk {
    return { bytes: this.w.buf.slice(0, (this.w.bits + 7) >> 3), count: this.count, minT: this.minT, maxT: this.maxT };
  }

  /** Like seal() but a view of the live buffer: only for decoding at once (a query), never for keeping. */
  peek(): SealedChunk {
    return { bytes: this.w.buf.subarray(0, (this.w.bits + 7) >> 3), count: this.count, minT: this.minT, maxT: this.maxT };
  }

  get byteLength(): number {
    return (this.w.bits + 7) >> 3;
  }
}

/** A finished chunk, as kept in memory and written to disk. */
export interface SealedChunk {
  bytes: Uint8Array;
  count: number;
  minT: number;
  maxT: number;
}

/** Decodes every sample of a chunk into t and v from index at; returns the next index. */
export function decodeChunk(bytes: Uint8Array, count: number, t: Float64Array | number[], v: Float64Array | number[], at = 0): number {
  if (count === 0) return at;
  const r = new BitReader(bytes);
  let time = readInt64(r);
  let hi = r.read(32);
  let lo = r.read(32);
  t[at] = time;
  v[at] = toFloat(hi, lo);
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    delta += readDod(r);
    time += delta;
    if (r.bit() === 1) {
      if (r.bit() === 1) {
        leading = r.read(5);
        let sig = r.read(6);
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
      }
      const sig = 64 - leading - trailing;
      let xh = 0;
      let xl: number;
      if (sig > 32) {
        xh = r.read(sig - 32);
        xl = r.read(32);
      } else xl = r.read(sig);
      [xh, xl] = shl64(xh, xl, trailing);
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    t[at + i] = time;
    v[at + i] = toFloat(hi, lo);
  }
  return at + count;
}

function toFloat(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function shr64(hi: number, lo: number, k: number): [number, number] {
  if (k === 0) return [hi, lo];
  if (k < 32) return [hi >>> k, ((lo >>> k) | (hi << (32 - k))) >>> 0];
  return [0, hi >>> (k - 32)];
}

function shl64(hi: number, lo: number, k: number): [number, number] {
  if (k === 0) return [hi, lo];
  if (k < 32) return [((hi << k) | (lo >>> (32 - k))) >>> 0, (lo << k) >>> 0];
  return [(lo << (k - 32)) >>> 0, 0];
}

function writeInt64(w: BitWriter, n: number): void {
  const hi = Math.floor(n / TWO32);
  w.write(hi >>> 0, 32);
  w.write(n - hi * TWO32, 32);
}

function readInt64(r: BitReader): number {
  const hi = r.read(32) | 0;
  return hi * TWO32 + r.read(32);
}

/** Delta-of-delta buckets: 0 → '0', then 14, 17 and 20 bits, else '1111' and 64 bits. */
function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) w.write(0, 1);
  else if (dod >= -8191 && dod <= 8192) {
    w.write(0b10, 2);
    w.write(dod & 0x3fff, 14);
  } else if (dod >= -65535 && dod <= 65536) {
    w.write(0b110, 3);
    w.write(dod & 0x1ffff, 17);
  } else if (dod >= -524287 && dod <= 524288) {
    w.write(0b1110, 4);
    w.write(dod & 0xfffff, 20);
  } else {
    w.write(0b1111, 4);
    writeInt64(w, dod);
  }
}

function readDod(r: BitReader): number {
  if (r.bit() === 0) return 0;
  if (r.bit() === 0) return signed(r.read(14), 14);
  if (r.bit() === 0) return signed(r.read(17), 17);
  if (r.bit() === 0) return signed(r.read(20), 20);
  return readInt64(r);
}

function signed(x: number, bits: number): number {
  // Buckets hold [-(2^(b-1) - 1), 2^(b-1)], so only values above 2^(b-1) are negative.
  return x > 2 ** (bits - 1) ? x - 2 ** bits : x;
}
