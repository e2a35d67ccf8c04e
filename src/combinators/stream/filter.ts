/**
 * `filter(predicate)`: only the items the predicate accepts.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkFunction, checkSource } from "./operator.js";

class Filter<T> extends Adapter<T, T> {
  readonly #keep: (item: T) => boolean;

  constructor(source: Stream<T>, keep: (item: T) => boolean) {
    super(source, "filter");
    this.#keep = keep;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    for (;;) {
      const r = this.pull(cx);
      if (r === undefined) return Poll.pending;
      if (r.done === true) return READY_STREAM_DONE;
      if (this.apply(this.#keep, r.value)) return { value: r };
    }
  }
}

/**
 * A stream of the items for which `predicate(item)` is true.
 *
 * Cancel safety: as safe as its source; an item is tested only when it is taken from the source.
 *
 * @example
 * ```ts
 * const evens = iter([1, 2, 3, 4]).pipe(filter((n) => n % 2 === 0)); // 2, 4
 * ```
 */
export function filter<T, S extends T>(
  predicate: (item: T) => item is S,
): (source: Stream<T>) => Stream<S>;
export function filter<T>(predicate: (item: T) => boolean): (source: Stream<T>) => Stream<T>;
export function filter<T>(predicate: (item: T) => boolean): (source: Stream<T>) => Stream<T> {
  checkFunction(predicate, "filter(predicate)");
  return (source) => new Filter(checkSource(source, "filter(predicate)"), predicate);
}
