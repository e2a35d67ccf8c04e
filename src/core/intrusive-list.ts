/**
 * The one intrusive list of the library: a doubly linked FIFO threaded through its nodes.
 * Sync primitives queue their waiting futures in it, the blocking pool its waiting jobs, the
 * executors their live tasks.
 *
 * The nodes carry the links themselves (`linkPrev`, `linkNext`), so adding allocates nothing and
 * a node leaves from the middle in O(1) (a dropped waiter, a finished task, a dropped job).
 *
 * Invariants:
 * - A node is in at most one list at a time. It is linked exactly when `contains(node)`; owners
 *   usually know from their own state and call `remove` only then (`remove` of an unlinked
 *   node is a no-op returning false).
 * - `push` appends (arrival order); `unshift` puts a node back at the front (a woken waiter that
 *   found nothing keeps its place, a job handed back by a dead thread runs next); `shift` takes
 *   from the front.
 * - Unlinked nodes have both links `undefined`.
 * @module
 */

/** @internal The fields a node carries so an {@link IntrusiveList} can link it. */
export interface Linked {
  linkPrev: Linked | undefined;
  linkNext: Linked | undefined;
}

/** @internal A FIFO with O(1) push, unshift, shift and removal from the middle. */
export class IntrusiveList<N extends Linked> {
  #head: N | undefined = undefined;
  #tail: N | undefined = undefined;
  #length = 0;

  /** Number of linked nodes. */
  get length(): number {
    return this.#length;
  }

  /** True when no node is linked. */
  get isEmpty(): boolean {
    return this.#head === undefined;
  }

  /** The node at the front, without removing it. */
  peek(): N | undefined {
    return this.#head;
  }

  /** True when `n` is linked in this list. */
  contains(n: N): boolean {
    return n.linkPrev !== undefined || this.#head === n;
  }

  /** Appends `n` at the back. `n` must not be linked. */
  push(n: N): void {
    n.linkNext = undefined;
    n.linkPrev = this.#tail;
    if (this.#tail === undefined) this.#head = n;
    else this.#tail.linkNext = n;
    this.#tail = n;
    this.#length++;
  }

  /** Puts `n` at the front. `n` must not be linked. */
  unshift(n: N): void {
    n.linkPrev = undefined;
    n.linkNext = this.#head;
    if (this.#head === undefined) this.#tail = n;
    else this.#head.linkPrev = n;
    this.#head = n;
    this.#length++;
  }

  /** Removes and returns the front node. */
  shift(): N | undefined {
    const n = this.#head;
    if (n !== undefined) this.remove(n);
    return n;
  }

  /** Unlinks `n` if it is linked here; returns whether it was. */
  remove(n: N): boolean {
    if (n.linkPrev === undefined && this.#head !== n) return false;
    const prev = n.linkPrev as N | undefined;
    const next = n.linkNext as N | undefined;
    if (prev === undefined) this.#head = next;
    else prev.linkNext = next;
    if (next === undefined) this.#tail = prev;
    else next.linkPrev = prev;
    n.linkPrev = undefined;
    n.linkNext = undefined;
    this.#length--;
    return true;
  }

  /** Unlinks every node and returns them in order (for closing: wake them all). */
  drain(): N[] {
    const out: N[] = [];
    for (let n = this.shift(); n !== undefined; n = this.shift()) out.push(n);
    return out;
  }

  /** A snapshot in order, front first; the list is unchanged. */
  toArray(): N[] {
    const out: N[] = [];
    for (let n = this.#head; n !== undefined; n = n.linkNext as N | undefined) out.push(n);
    return out;
  }
}
