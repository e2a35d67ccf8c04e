/**
 * A growable FIFO ring buffer: O(1) `push` and `shift`, no `Array#shift` copying.
 *
 * Invariants:
 * - `#items.length` is a power of two and `#mask === #items.length - 1`.
 * - The live elements are `#items[(#head + i) & #mask]` for `0 <= i < #length`; every other
 *   slot holds `undefined`, so a taken value is never kept alive by the buffer.
 * - The buffer only grows (doubling when full); it never shrinks.
 * @module
 */

/** @internal A FIFO queue backed by a power-of-two circular array. */
export class RingBuffer<T> {
  #items: (T | undefined)[];
  #mask: number;
  #head = 0;
  #length = 0;

  /** `initialCapacity` is rounded up to a power of two (at least 2). */
  constructor(initialCapacity = 16) {
    let size = 2;
    while (size < initialCapacity) size *= 2;
    this.#items = new Array<T | undefined>(size).fill(undefined);
    this.#mask = size - 1;
  }

  /** Number of elements held. */
  get length(): number {
    return this.#length;
  }

  /** Appends `value` at the back, growing the array when full. */
  push(value: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = value;
    this.#length++;
  }

  /** Removes and returns the front element; `undefined` when empty (check `length` first). */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const head = this.#head;
    const value = this.#items[head];
    this.#items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#length--;
    return value;
  }

  /** The front element without removing it; `undefined` when empty. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes every element. */
  clear(): void {
    while (this.#length > 0) this.shift();
    this.#head = 0;
  }

  #grow(): void {
    const old = this.#items;
    const size = old.length;
    const next = new Array<T | undefined>(size * 2).fill(undefined);
    for (let i = 0; i < size; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#items = next;
    this.#mask = size * 2 - 1;
    this.#head = 0;
  }
}
