/**
 * `inspect(f)`: calls `f` on each item and passes it on.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkFunction, checkSource } from "./operator.js";

class Inspect<T> extends Adapter<T, T> {
  readonly #f: (item: T) => void;

  constructor(source: Stream<T>, f: (item: T) => void) {
    super(source, "inspect");
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return READY_STREAM_DONE;
    this.apply(this.#f, r.value);
    return { value: r };
  }
}

/**
 * The same stream, calling `f(item)` on each item as it passes (logging, metrics).
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * const logged = rx.stream().pipe(inspect((m) => console.log("got", m)));
 * ```
 */
export function inspect<T>(f: (item: T) => void): (source: Stream<T>) => Stream<T> {
  checkFunction(f, "inspect(f)");
  return (source) => new Inspect(checkSource(source, "inspect(f)"), f);
}
