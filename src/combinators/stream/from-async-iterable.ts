/**
 * `fromAsyncIterable(ai)`: a stream of an async iterable's values (Node Readables,
 * `events.on`, async generators).
 *
 * Invariants:
 * - The iterator is made on the first poll; at most one `next()` promise is outstanding, held
 *   as a `fromPromise` future until its value is taken.
 * - Dropping the stream before the iterator finished drops that future and calls the
 *   iterator's `return()` once (a Readable is destroyed, an `events.on` listener removed, an
 *   async generator's `finally` blocks run); a rejection of `return()` is reported, never lost.
 * @module
 */
import type { Context } from "../../core/context.js";
import { fromPromise } from "../../core/from-promise.js";
import type { Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkIterable, closeIterator } from "./operator.js";

class FromAsyncIterable<T> extends Stream<T> {
  #iterable: AsyncIterable<T> | undefined;
  #iterator: AsyncIterator<T> | undefined = undefined;
  #pending: Future<IteratorResult<T>> | undefined = undefined;

  constructor(iterable: AsyncIterable<T>) {
    super();
    this.#iterable = iterable;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    let it = this.#iterator;
    if (it === undefined) {
      const iterable = this.#iterable;
      if (iterable === undefined) return READY_STREAM_DONE;
      this.#iterable = undefined;
      it = this.#iterator = iterable[Symbol.asyncIterator]();
    }
    let fut = this.#pending;
    if (fut === undefined) {
      const source = it;
      fut = this.#pending = fromPromise(() => source.next());
    }
    let p: Poll<IteratorResult<T>>;
    try {
      p = fut.poll(cx);
    } catch (error) {
      this.#pending = this.#iterator = undefined;
      throw error;
    }
    if (p === Poll.pending) return p;
    this.#pending = undefined;
    const r = (p as { value: IteratorResult<T> }).value;
    if (r.done === true) {
      this.#iterator = undefined;
      return READY_STREAM_DONE;
    }
    return p as Poll<IteratorResult<T, undefined>>;
  }

  override drop(): void {
    const it = this.#iterator;
    const fut = this.#pending;
    this.#iterator = this.#iterable = this.#pending = undefined;
    if (fut !== undefined) dropQuietly(fut);
    if (it !== undefined) closeIterator(it);
  }

  override describe(): string {
    return "fromAsyncIterable()";
  }
}

/**
 * A stream of the values of an async iterable: a Node `Readable`, `events.on(emitter, name)`,
 * an async generator, a web `ReadableStream` (Node 18+). One `next()` is outstanding at a
 * time, so a Readable is read only as fast as the stream is consumed (backpressure).
 *
 * Cancel safety: `next()` is safe (a value already read waits in the stream for the next
 * `next()`). Dropping the stream calls the iterator's `return()`: a Readable is destroyed, an
 * `events.on` listener removed, an async generator's `finally` blocks run; a value read but
 * not taken is lost with it.
 *
 * @example
 * ```ts
 * // any async iterable: a Node Readable or readline interface, events.on(...), a generator
 * async function* pages() { for (let p = 1; p <= 3; p++) yield await fetchPage(p); }
 * const n = yield* fromAsyncIterable(pages()).pipe(count());
 * ```
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T>): Stream<T> {
  checkIterable(iterable, Symbol.asyncIterator, "fromAsyncIterable(iterable)", "an async iterable");
  return new FromAsyncIterable(iterable);
}
