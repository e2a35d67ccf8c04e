/**
 * `skip(n)`: all but the first `n` items.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkCount, checkSource } from "./operator.js";

class Skip<T> extends Adapter<T, T> {
  #left: number;

  constructor(source: Stream<T>, n: number) {
    super(source, "skip");
    this.#left = n;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    for (;;) {
      const r = this.pull(cx);
      if (r === undefined) return Poll.pending;
      if (r.done === true) return READY_STREAM_DONE;
      if (this.#left === 0) return { value: r };
      this.#left--;
    }
  }
}

/**
 * A stream of the items after the first `n`, which are read and discarded.
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * const rows = fromAsyncIterable(lines).pipe(skip(1)); // drop a CSV header
 * ```
 */
export function skip<T>(n: number): (source: Stream<T>) => Stream<T> {
  checkCount(n, "skip(n)");
  return (source) => new Skip(checkSource(source, "skip(n)"), n);
}
