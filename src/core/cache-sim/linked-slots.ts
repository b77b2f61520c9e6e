/**
 * Doubly linked lists over dense integer keys, held in two typed arrays so that moving an entry
 * allocates nothing. Slot `k` is key `k`; the slots after the keys are the lists' sentinels, so a
 * list is a ring through its sentinel and an empty list is a sentinel pointing at itself.
 * Each key is on at most one list at a time (the policies track which in their own arrays).
 */
export class LinkedSlots {
  readonly prev: Int32Array;
  readonly next: Int32Array;

  constructor(readonly keyCount: number, lists: number) {
    this.prev = new Int32Array(keyCount + lists);
    this.next = new Int32Array(keyCount + lists);
    for (let l = 0; l < lists; l++) this.clear(this.sentinel(l));
  }

  /** The sentinel slot of list `l`. */
  sentinel(l: number): number {
    return this.keyCount + l;
  }

  clear(sentinel: number): void {
    this.prev[sentinel] = sentinel;
    this.next[sentinel] = sentinel;
  }

  /** The oldest entry of the list, or -1 when it is empty. */
  first(sentinel: number): number {
    const f = this.next[sentinel]!;
    return f === sentinel ? -1 : f;
  }

  /** The entry after `k` towards the newest end, or -1 at the end of the list. */
  after(k: number, sentinel: number): number {
    const n = this.next[k]!;
    return n === sentinel ? -1 : n;
  }

  unlink(k: number): void {
    const p = this.prev[k]!;
    const n = this.next[k]!;
    this.next[p] = n;
    this.prev[n] = p;
  }

  /** Appends `k` (not on any list) as the newest entry. */
  pushLast(sentinel: number, k: number): void {
    const last = this.prev[sentinel]!;
    this.next[last] = k;
    this.prev[k] = last;
    this.next[k] = sentinel;
    this.prev[sentinel] = k;
  }

  moveToLast(sentinel: number, k: number): void {
    this.unlink(k);
    this.pushLast(sentinel, k);
  }
}
