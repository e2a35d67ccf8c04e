/**
 * `filterMap(f)`: `f(item)` for every item, skipping `undefined`.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkFunction, checkSource } from "./operator.js";

class FilterMap<T, U> extends Adapter<T, U> {
  readonly #f: (item: T) => U | undefined;

  constructor(source: Stream<T>, f: (item: T) => U | undefined) {
    super(source, "filterMap");
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<U, undefined>> {
    for (;;) {
      const r = this.pull(cx);
      if (r === undefined) return Poll.pending;
      if (r.done === true) return READY_STREAM_DONE;
      const out = this.apply(this.#f, r.value);
      if (out !== undefined) return { value: { done: false, value: out } };
    }
  }
}

/**
 * A stream of `f(item)` for every item, leaving out the items for which it is `undefined`.
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * const numbers = iter(["1", "x", "3"]).pipe(filterMap((s) => (/^\d+$/.test(s) ? Number(s) : undefined)));
 * ```
 */
export function filterMap<T, U>(f: (item: T) => U | undefined): (source: Stream<T>) => Stream<U> {
  checkFunction(f, "filterMap(f)");
  return (source) => new FilterMap(checkSource(source, "filterMap(f)"), f);
}
