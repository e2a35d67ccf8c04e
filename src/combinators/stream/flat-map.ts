/**
 * `flatMap(f)`: each item to a stream, flattened in order.
 * @module
 */
import type { Context } from "../../core/context.js";
import { typeName } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { isStream, READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { Adapter } from "./adapter.js";
import { checkFunction, checkSource } from "./operator.js";

class FlatMap<T, U> extends Adapter<T, U> {
  readonly #f: (item: T) => Stream<U>;
  #inner: Stream<U> | undefined = undefined;

  constructor(source: Stream<T>, f: (item: T) => Stream<U>) {
    super(source, "flatMap");
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<U, undefined>> {
    for (;;) {
      const inner = this.#inner;
      if (inner !== undefined) {
        let p: Poll<IteratorResult<U, undefined>>;
        try {
          p = inner.pollNext(cx);
        } catch (error) {
          this.#inner = undefined;
          return this.fail(error);
        }
        if (p === Poll.pending) return p;
        if ((p as { value: IteratorResult<U, undefined> }).value.done !== true) return p;
        this.#inner = undefined;
      }
      const r = this.pull(cx);
      if (r === undefined) return Poll.pending;
      if (r.done === true) return READY_STREAM_DONE;
      let next: Stream<U>;
      try {
        next = this.#f(r.value);
        if (!isStream(next)) {
          throw new TypeError(`flatMap(f): f must return a Stream, got ${typeName(next)}`);
        }
      } catch (error) {
        return this.fail(error);
      }
      this.#inner = next;
    }
  }

  override drop(): void {
    const inner = this.#inner;
    this.#inner = undefined;
    if (inner !== undefined) dropQuietly(inner);
    super.drop();
  }
}

/**
 * A stream of the items of `f(item)` for every item, one inner stream after the other.
 *
 * Cancel safety: as safe as the source and the inner streams; dropping it drops both.
 *
 * @example
 * ```ts
 * const words = lines.pipe(flatMap((line) => iter(line.split(" "))));
 * ```
 */
export function flatMap<T, U>(f: (item: T) => Stream<U>): (source: Stream<T>) => Stream<U> {
  checkFunction(f, "flatMap(f)");
  return (source) => new FlatMap(checkSource(source, "flatMap(f)"), f);
}
