/**
 * The stream every "call again for the next one" API shares: a receiver's `recv()`, a join
 * set's `joinNext()`, an interval's `tick()`. It holds at most one pending future of the next
 * item and makes a fresh one only after the previous one completed.
 *
 * Invariants:
 * - The pending future is the only thing the stream owns; dropping the stream drops it. An
 *   item is taken only when that future completes, so the stream is exactly as cancel-safe as
 *   the future it repeats (every user of this class repeats a cancel-safe one).
 * - Once finished (done, or an error) `#make` is cleared and every later poll is done.
 * @module
 */
import type { Context } from "./context.js";
import type { Future } from "./future.js";
import { Poll } from "./poll.js";
import { READY_STREAM_DONE, Stream } from "./stream.js";
import { dropQuietly } from "./unhandled.js";

/** @internal See the module comment. */
export class NextStream<R, T> extends Stream<T> {
  #make: (() => Future<R>) | undefined;
  readonly #item: ((result: R) => IteratorResult<T, undefined>) | undefined;
  readonly #ends: ((error: unknown) => boolean) | undefined;
  readonly #label: string;
  #pending: Future<R> | undefined = undefined;

  /**
   * @param make Makes the future of the next result.
   * @param item Turns a result into an item (or `{ done: true }`); without it the results are
   *   the items' `IteratorResult`s already.
   * @param ends True for an error that means "finished" rather than a failure.
   */
  constructor(
    make: () => Future<R>,
    item: ((result: R) => IteratorResult<T, undefined>) | undefined,
    label: string,
    ends?: (error: unknown) => boolean,
  ) {
    super();
    this.#make = make;
    this.#item = item;
    this.#label = label;
    this.#ends = ends;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const make = this.#make;
    if (make === undefined) return READY_STREAM_DONE;
    let fut = this.#pending;
    if (fut === undefined) fut = this.#pending = make();
    let p: Poll<R>;
    try {
      p = fut.poll(cx);
    } catch (error) {
      this.#pending = this.#make = undefined;
      if (this.#ends?.(error) === true) return READY_STREAM_DONE;
      throw error;
    }
    if (p === Poll.pending) return p;
    this.#pending = undefined;
    const item = this.#item;
    if (item === undefined) {
      if ((p as { value: IteratorResult<T, undefined> }).value.done === true) {
        this.#make = undefined;
      }
      return p as unknown as Poll<IteratorResult<T, undefined>>;
    }
    const result = item((p as { value: R }).value);
    if (result.done === true) {
      this.#make = undefined;
      return READY_STREAM_DONE;
    }
    return { value: result };
  }

  override drop(): void {
    const fut = this.#pending;
    this.#pending = this.#make = undefined;
    if (fut !== undefined) dropQuietly(fut);
  }

  override describe(): string {
    return this.#label;
  }
}
