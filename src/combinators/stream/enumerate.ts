/**
 * `enumerate()`: each item with its index.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { Adapter } from "./adapter.js";
import { checkSource } from "./operator.js";

class Enumerate<T> extends Adapter<T, [number, T]> {
  #index = 0;

  pollNext(cx: Context): Poll<IteratorResult<[number, T], undefined>> {
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return READY_STREAM_DONE;
    return { value: { done: false, value: [this.#index++, r.value] } };
  }
}

/**
 * A stream of `[index, item]` pairs, counting from 0.
 *
 * Cancel safety: as safe as its source.
 *
 * @example
 * ```ts
 * yield* iter(["a", "b"]).pipe(enumerate(), forEach(([i, s]) => console.log(i, s)));
 * ```
 */
export function enumerate<T>(): (source: Stream<T>) => Stream<[number, T]> {
  return (source) => new Enumerate(checkSource(source, "enumerate()"), "enumerate");
}
