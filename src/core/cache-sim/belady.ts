/**
 * For each position of the trace, the position of the next request for the same key, or
 * `trace.length` when there is none. One backward pass; Bélády's policy needs it, and it is the
 * reason the whole trace is held in memory (4 bytes a request here, 4 in the trace).
 */
export function nextUses(trace: Int32Array, keyCount: number): Int32Array {
  const next = new Int32Array(trace.length);
  const seen = new Int32Array(keyCount).fill(trace.length);
  for (let i = trace.length - 1; i >= 0; i--) {
    const k = trace[i]!;
    next[i] = seen[k]!;
    seen[k] = i;
  }
  return next;
}

/**
 * Bélády's optimal bound: on a miss with a full cache, drop whichever of the resident keys and the
 * new key is next requested furthest in the future (the new key may bypass the cache). No policy
 * that sees only the past does better. Resident keys sit in a max-heap on their next use.
 */
export class Belady {
  private readonly heap: Int32Array;
  private readonly pos: Int32Array;
  private readonly due: Int32Array;
  private size = 0;
  private time = 0;

  constructor(readonly capacity: number, keyCount: number, private readonly next: Int32Array) {
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(keyCount).fill(-1);
    this.due = new Int32Array(keyCount);
  }

  /** Requests `key`, which must be the trace's next request (the policy reads ahead from there). */
  access(key: number): boolean {
    const when = this.next[this.time++]!;
    const at = this.pos[key]!;
    if (at >= 0) {
      this.due[key] = when;
      this.siftUp(at);
      return true;
    }
    if (this.size < this.capacity) {
      this.due[key] = when;
      this.heap[this.size] = key;
      this.pos[key] = this.size;
      this.siftUp(this.size++);
      return false;
    }
    const top = this.heap[0]!;
    if (when >= this.due[top]!) return false;
    this.pos[top] = -1;
    this.due[key] = when;
    this.heap[0] = key;
    this.pos[key] = 0;
    this.siftDown(0);
    return false;
  }

  run(trace: Int32Array): number {
    let hits = 0;
    for (let i = 0; i < trace.length; i++) if (this.access(trace[i]!)) hits++;
    return hits;
  }

  private siftUp(i: number): void {
    const { heap, pos, due } = this;
    const k = heap[i]!;
    const d = due[k]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (due[p]! >= d) break;
      heap[i] = p;
      pos[p] = i;
      i = parent;
    }
    heap[i] = k;
    pos[k] = i;
  }

  private siftDown(i: number): void {
    const { heap, pos, due } = this;
    const k = heap[i]!;
    const d = due[k]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && due[heap[child + 1]!]! > due[heap[child]!]!) child++;
      const c = heap[child]!;
      if (due[c]! <= d) break;
      heap[i] = c;
      pos[c] = i;
      i = child;
    }
    heap[i] = k;
    pos[k] = i;
  }
}
