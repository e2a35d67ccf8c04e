/**
 * `scan(init, f)`: the running accumulation.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkFunction, checkSource } from "./operator.js";

class Scan<T, A> extends Adapter<T, A> {
  #acc: A;
  readonly #f: (acc: A, item: T) => A;

  constructor(source: Stream<T>, init: A, f: (acc: A, item: T) => A) {
    super(source, "scan");
    this.#acc = init;
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<A, undefined>> {
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return READY_STREAM_DONE;
    try {
      this.#acc = this.#f(this.#acc, r.value);
    } catch (error) {
      return this.fail(error);
    }
    return { value: { done: false, value: this.#acc } };
  }
}

/**
 * A stream of the accumulator after each item: `f(acc, item)` from `init` (a running total).
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * const totals = iter([1, 2, 3]).pipe(scan(0, (sum, n) => sum + n)); // 1, 3, 6
 * ```
 */
export function scan<T, A>(init: A, f: (acc: A, item: T) => A): (source: Stream<T>) => Stream<A> {
  checkFunction(f, "scan(init, f)");
  return (source) => new Scan(checkSource(source, "scan(init, f)"), init, f);
}
