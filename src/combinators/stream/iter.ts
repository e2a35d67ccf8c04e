/**
 * `iter(iterable)`: a stream of a synchronous iterable's values.
 *
 * Invariants:
 * - The iterator is made on the first poll (lazily) and read one value per item.
 * - Every item spends one unit of the cooperative budget: with none left the stream wakes its
 *   task and returns Pending without reading, so draining a long array cannot hold the thread.
 * - Dropping the stream before the iterator is exhausted calls its `return()` (a generator's
 *   `finally` blocks run); once exhausted, or after an error, nothing is called.
 * @module
 */
import type { Context } from "../../core/context.js";
import { proceed } from "../../core/coop.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { checkIterable, closeIterator } from "./operator.js";

class Iter<T> extends Stream<T> {
  #iterable: Iterable<T> | undefined;
  #iterator: Iterator<T> | undefined = undefined;

  constructor(iterable: Iterable<T>) {
    super();
    this.#iterable = iterable;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    let it = this.#iterator;
    if (it === undefined) {
      const iterable = this.#iterable;
      if (iterable === undefined) return READY_STREAM_DONE;
      this.#iterable = undefined;
      it = this.#iterator = iterable[Symbol.iterator]();
    }
    if (!proceed(cx)) return Poll.pending;
    let r: IteratorResult<T>;
    try {
      r = it.next();
    } catch (error) {
      this.#iterator = undefined;
      throw error;
    }
    if (r.done === true) {
      this.#iterator = undefined;
      return READY_STREAM_DONE;
    }
    return { value: r as IteratorResult<T, undefined> };
  }

  override drop(): void {
    const it = this.#iterator;
    this.#iterator = this.#iterable = undefined;
    if (it !== undefined) closeIterator(it);
  }

  override describe(): string {
    return "iter()";
  }
}

/**
 * A stream of the values of a synchronous iterable (an array, a `Set`, a generator …), read
 * lazily, one value per item: a lazy iterator of a million items costs nothing up front.
 *
 * Cooperative scheduling: every item spends one unit of the task's budget (see "The budget" in
 * docs/concepts.md), so draining a long array still lets other tasks run.
 *
 * Cancel safety: safe. `next()` reads the iterator only when it completes. Dropping the
 * stream calls the iterator's `return()`, so a generator's `finally` blocks run.
 *
 * @example
 * ```ts
 * const total = yield* iter([1, 2, 3]).pipe(fold(0, (sum, n) => sum + n)); // 6
 * ```
 */
export function iter<T>(iterable: Iterable<T>): Stream<T> {
  checkIterable(iterable, Symbol.iterator, "iter(iterable)", "an iterable");
  return new Iter(iterable);
}
