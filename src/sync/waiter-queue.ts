/**
 * The waiter queue every sync primitive uses: an intrusive, doubly linked FIFO list.
 *
 * The nodes are the waiting futures themselves (they carry `prevWaiter` and `nextWaiter`), so
 * enqueueing allocates nothing and a dropped waiter leaves the queue in O(1).
 *
 * Invariants:
 * - A node is in at most one queue. It is linked exactly when `contains(node)`; owners
 *   usually know from their own state (e.g. WAITING) and call `remove` only then.
 * - `push` appends (arrival order); `unshift` puts a node back at the front (a woken waiter
 *   that found nothing keeps its place); `shift` takes from the front.
 * - Unlinked nodes have both links `undefined`.
 * @module
 */

/** @internal The fields a waiter carries so a {@link WaiterQueue} can link it. */
export interface WaiterNode {
  prevWaiter: WaiterNode | undefined;
  nextWaiter: WaiterNode | undefined;
}

/** @internal A FIFO of waiters with O(1) push, shift and removal from the middle. */
export class WaiterQueue<W extends WaiterNode> {
  #head: W | undefined = undefined;
  #tail: W | undefined = undefined;
  #length = 0;

  /** Number of queued waiters. */
  get length(): number {
    return this.#length;
  }

  /** True when no waiter is queued. */
  get isEmpty(): boolean {
    return this.#head === undefined;
  }

  /** The waiter at the front, without removing it. */
  peek(): W | undefined {
    return this.#head;
  }

  /** True when `w` is linked in this queue. */
  contains(w: W): boolean {
    return w.prevWaiter !== undefined || this.#head === w;
  }

  /** Appends `w` at the back. `w` must not be queued. */
  push(w: W): void {
    w.nextWaiter = undefined;
    w.prevWaiter = this.#tail;
    if (this.#tail === undefined) this.#head = w;
    else this.#tail.nextWaiter = w;
    this.#tail = w;
    this.#length++;
  }

  /** Puts `w` at the front. `w` must not be queued. */
  unshift(w: W): void {
    w.prevWaiter = undefined;
    w.nextWaiter = this.#head;
    if (this.#head === undefined) this.#tail = w;
    else this.#head.prevWaiter = w;
    this.#head = w;
    this.#length++;
  }

  /** Removes and returns the front waiter. */
  shift(): W | undefined {
    const w = this.#head;
    if (w !== undefined) this.remove(w);
    return w;
  }

  /** Unlinks `w` if it is queued here; returns whether it was. */
  remove(w: W): boolean {
    if (w.prevWaiter === undefined && this.#head !== w) return false;
    const prev = w.prevWaiter as W | undefined;
    const next = w.nextWaiter as W | undefined;
    if (prev === undefined) this.#head = next;
    else prev.nextWaiter = next;
    if (next === undefined) this.#tail = prev;
    else next.prevWaiter = prev;
    w.prevWaiter = undefined;
    w.nextWaiter = undefined;
    this.#length--;
    return true;
  }

  /** Unlinks every waiter and returns them in order (for closing: wake them all). */
  drain(): W[] {
    const out: W[] = [];
    for (let w = this.shift(); w !== undefined; w = this.shift()) out.push(w);
    return out;
  }
}
