/**
 * `map(f)`: each item through `f`.
 * @module
 */
import type { Context } from "../../core/context.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkFunction, checkSource } from "./operator.js";

class MapStream<T, U> extends Stream<U> {
  #source: Stream<T> | undefined;
  readonly #f: (item: T, index: number) => U;
  #index = 0;

  constructor(source: Stream<T>, f: (item: T, index: number) => U) {
    super();
    this.#source = source;
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<U, undefined>> {
    const source = this.#source;
    if (source === undefined) return READY_STREAM_DONE;
    let value: U;
    try {
      const p = source.pollNext(cx);
      if (p === Poll.pending) return p;
      const r = (p as { value: IteratorResult<T, undefined> }).value;
      if (r.done === true) {
        this.#source = undefined;
        return READY_STREAM_DONE;
      }
      value = this.#f(r.value, this.#index++);
    } catch (error) {
      this.drop();
      throw error;
    }
    return { value: { done: false, value } };
  }

  override drop(): void {
    const source = this.#source;
    this.#source = undefined;
    if (source !== undefined) dropQuietly(source);
  }

  override describe(): string {
    return `map(${this.#source?.describe() ?? "done"})`;
  }
}

/**
 * A stream of `f(item, index)` for every item. With a function that makes a Future, it gives a
 * stream of futures for `buffered(n)` / `bufferUnordered(n)` to run.
 *
 * Cancel safety: exactly as safe as its source: `f` runs only for an item that is given out.
 * An error from `f` drops the source.
 *
 * @example
 * ```ts
 * const lengths = iter(["a", "bb"]).pipe(map((s) => s.length)); // 1, 2
 * ```
 */
export function map<T, U>(f: (item: T, index: number) => U): (source: Stream<T>) => Stream<U> {
  checkFunction(f, "map(f)");
  return (source) => new MapStream(checkSource(source, "map(f)"), f);
}
