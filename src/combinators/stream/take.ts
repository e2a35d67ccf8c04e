/**
 * `take(n)`: the first `n` items.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkCount, checkSource } from "./operator.js";

class Take<T> extends Adapter<T, T> {
  #left: number;

  constructor(source: Stream<T>, n: number) {
    super(source, "take");
    this.#left = n;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    if (this.#left === 0) return this.end();
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return READY_STREAM_DONE;
    if (--this.#left === 0) this.drop();
    return { value: r };
  }
}

/**
 * A stream of the first `n` items; after the `n`th it drops its source (so an endless source
 * such as `repeatWith` or an interval stops).
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * const three = yield* repeatWith(Math.random).pipe(take(3), collect());
 * ```
 */
export function take<T>(n: number): (source: Stream<T>) => Stream<T> {
  checkCount(n, "take(n)");
  return (source) => new Take(checkSource(source, "take(n)"), n);
}
