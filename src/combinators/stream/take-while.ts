/**
 * `takeWhile(predicate)`: items until the first one the predicate rejects.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkFunction, checkSource } from "./operator.js";

class TakeWhile<T> extends Adapter<T, T> {
  readonly #keep: (item: T) => boolean;

  constructor(source: Stream<T>, keep: (item: T) => boolean) {
    super(source, "takeWhile");
    this.#keep = keep;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return READY_STREAM_DONE;
    return this.apply(this.#keep, r.value) ? { value: r } : this.end();
  }
}

/**
 * A stream of the items up to (not including) the first for which `predicate` is false; it
 * then ends and drops its source. That first rejected item is consumed and lost.
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * const small = iter([1, 2, 9, 3]).pipe(takeWhile((n) => n < 5)); // 1, 2
 * ```
 */
export function takeWhile<T>(predicate: (item: T) => boolean): (source: Stream<T>) => Stream<T> {
  checkFunction(predicate, "takeWhile(predicate)");
  return (source) => new TakeWhile(checkSource(source, "takeWhile(predicate)"), predicate);
}
