/**
 * `zip(other)`: pairs of items from two streams.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { assertStream, type Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { Adapter } from "./adapter.js";
import { checkSource } from "./operator.js";

const NONE: unique symbol = Symbol("none");

class Zip<A, B> extends Adapter<A, [A, B]> {
  #other: Stream<B> | undefined;
  #left: A | typeof NONE = NONE;

  constructor(source: Stream<A>, other: Stream<B>) {
    super(source, "zip");
    this.#other = other;
  }

  pollNext(cx: Context): Poll<IteratorResult<[A, B], undefined>> {
    if (this.#left === NONE) {
      const r = this.pull(cx);
      if (r === undefined) return Poll.pending;
      if (r.done === true) return this.end();
      this.#left = r.value;
    }
    const other = this.#other;
    if (other === undefined) return this.end();
    let p: Poll<IteratorResult<B, undefined>>;
    try {
      p = other.pollNext(cx);
    } catch (error) {
      this.#other = undefined;
      return this.fail(error);
    }
    if (p === Poll.pending) return p;
    const r = (p as { value: IteratorResult<B, undefined> }).value;
    if (r.done === true) {
      this.#other = undefined;
      return this.end();
    }
    const left = this.#left as A;
    this.#left = NONE;
    return { value: { done: false, value: [left, r.value] } };
  }

  override drop(): void {
    const other = this.#other;
    this.#other = undefined;
    this.#left = NONE;
    if (other !== undefined) dropQuietly(other);
    super.drop();
  }
}

/**
 * A stream of `[a, b]` pairs, one item from each stream; it ends (dropping both) as soon as
 * either ends.
 *
 * Cancel safety: `next()` is safe: an item read from the first stream waits for its partner.
 * Dropping the zip drops both streams.
 *
 * @example
 * ```ts
 * const numbered = names.pipe(zip(iter([1, 2, 3]))); // ["a", 1], ["b", 2] …
 * ```
 */
export function zip<A, B>(other: Stream<B>): (source: Stream<A>) => Stream<[A, B]> {
  assertStream(other, "zip(other)");
  return (source) => new Zip(checkSource(source, "zip(other)"), other);
}
