/**
 * `chunks(n)`: items in arrays of `n`.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkLimit } from "./in-flight.js";
import { checkSource } from "./operator.js";

class Chunks<T> extends Adapter<T, T[]> {
  readonly #size: number;
  #chunk: T[] = [];

  constructor(source: Stream<T>, size: number) {
    super(source, "chunks");
    this.#size = size;
  }

  pollNext(cx: Context): Poll<IteratorResult<T[], undefined>> {
    for (;;) {
      const r = this.pull(cx);
      if (r === undefined) return Poll.pending;
      const chunk = this.#chunk;
      if (r.done === true) {
        if (chunk.length === 0) return READY_STREAM_DONE;
        this.#chunk = [];
        return { value: { done: false, value: chunk } };
      }
      chunk.push(r.value);
      if (chunk.length === this.#size) {
        this.#chunk = [];
        return { value: { done: false, value: chunk } };
      }
    }
  }

  override drop(): void {
    this.#chunk = [];
    super.drop();
  }
}

/**
 * A stream of arrays of `n` consecutive items; the last may be shorter. A chunk is given out
 * only when full (or at the end): use `chunksTimeout` to flush on a deadline.
 *
 * Cancel safety: `next()` is safe: items read into a partial chunk stay in it for the next
 * `next()`. Dropping the stream loses the partial chunk.
 *
 * @example
 * ```ts
 * yield* rows.pipe(chunks(500), forEach((batch) => insertMany(batch)));
 * ```
 */
export function chunks<T>(n: number): (source: Stream<T>) => Stream<T[]> {
  checkLimit(n, "chunks(n)");
  return (source) => new Chunks(checkSource(source, "chunks(n)"), n);
}
