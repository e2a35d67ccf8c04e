/**
 * `unfold(seed, f)`: a stream made by repeatedly awaiting `f(state)`.
 *
 * Invariants:
 * - At most one `f(state)` future is alive; it is made when the next item is asked for, not
 *   before, and dropping the stream drops it.
 * - `f` returning `undefined` (or a future of it) ends the stream for good.
 * @module
 */
import type { Context } from "../../core/context.js";
import { proceed } from "../../core/coop.js";
import { type Future, isFuture, typeName } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";

/** What `unfold`'s step gives: the item and the next state, or `undefined` to end. */
export type UnfoldStep<T, S> = readonly [item: T, next: S] | undefined;

class Unfold<T, S> extends Stream<T> {
  #state: S;
  #f: ((state: S) => Future<UnfoldStep<T, S>> | UnfoldStep<T, S>) | undefined;
  #pending: Future<UnfoldStep<T, S>> | undefined = undefined;

  constructor(seed: S, f: (state: S) => Future<UnfoldStep<T, S>> | UnfoldStep<T, S>) {
    super();
    this.#state = seed;
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const f = this.#f;
    if (f === undefined) return READY_STREAM_DONE;
    let step: UnfoldStep<T, S>;
    try {
      let fut = this.#pending;
      if (fut === undefined) {
        if (!proceed(cx)) return Poll.pending;
        const made = f(this.#state);
        if (!isFuture(made)) return this.#emit(made);
        fut = this.#pending = made as Future<UnfoldStep<T, S>>;
      }
      const p = fut.poll(cx);
      if (p === Poll.pending) return p;
      this.#pending = undefined;
      step = (p as { value: UnfoldStep<T, S> }).value;
    } catch (error) {
      this.#f = this.#pending = undefined;
      throw error;
    }
    return this.#emit(step);
  }

  #emit(step: UnfoldStep<T, S>): Poll<IteratorResult<T, undefined>> {
    if (step === undefined) {
      this.#f = undefined;
      return READY_STREAM_DONE;
    }
    this.#state = step[1];
    return { value: { done: false, value: step[0] } };
  }

  override drop(): void {
    const fut = this.#pending;
    this.#f = this.#pending = undefined;
    if (fut !== undefined) dropQuietly(fut);
  }

  override describe(): string {
    return this.#pending === undefined ? "unfold()" : `unfold(${this.#pending.describe()})`;
  }
}

/**
 * A stream built from a state: `f(state)` gives `[item, nextState]` to emit an item, or
 * `undefined` to end; it may return a Future of that (an async block), which is awaited.
 * `f` is called only when the consumer asks for the next item.
 *
 * Cancel safety: `next()` is safe: a step in progress stays in the stream and the next
 * `next()` goes on with it. Dropping the stream drops the step in progress.
 *
 * @example
 * ```ts
 * const pages = unfold(1, (page) => future(function* () {
 *   const rows = yield* fetchPage(page);
 *   return rows.length === 0 ? undefined : [rows, page + 1] as const;
 * }));
 * ```
 */
export function unfold<T, S>(
  seed: S,
  f: (state: S) => Future<UnfoldStep<T, S>> | UnfoldStep<T, S>,
): Stream<T> {
  if (typeof f !== "function") {
    throw new TypeError(`unfold(seed, f): f must be a function, got ${typeName(f)}`);
  }
  return new Unfold(seed, f);
}
