/**
 * `EagerFuture`: a leaf future that `yield*` can complete on the spot.
 *
 * `yield* fut` normally hands `fut` to the driving async block, which polls it and resumes the
 * generator. A sync operation that can finish at once (a buffered message, a free slot, a free
 * permit) does not need that trip: `[Symbol.iterator]` returns the future itself, and its first
 * `next()` calls `pollNow()`. If that finishes, `yield*` evaluates to the value right away,
 * exactly as if the block had polled it and got Ready; otherwise the future is yielded to the
 * block as usual and polled with the block's context.
 *
 * Invariants:
 * - `pollNow()` never registers a waker: it either completes the future (with a value or an
 *   error) or leaves it untouched, so the normal `poll` that follows behaves as a first poll.
 * - `pollNow()` returns `undefined` once the future is no longer fresh (it was polled). The
 *   block calls `next(value)` a second time only after the future returned Ready, so that is
 *   how the second call is told from the first without a field of its own (every field costs
 *   on the hot path of creating futures).
 * - The iterator is single-use, like the future.
 * @module
 */
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";

const DONE_UNDEFINED: IteratorResult<never, undefined> = Object.freeze({
  done: true as const,
  value: undefined,
});

/** @internal */
export abstract class EagerFuture<T> extends Future<T> implements Iterator<Future<unknown>, T> {
  /**
   * On a fresh future: completes now if that needs no waiting, else `Poll.pending` (with no
   * side effect). On a future that was already polled: `undefined`.
   */
  protected abstract pollNow(): Poll<T> | undefined;

  override [Symbol.iterator](): Iterator<Future<unknown>, T, any> {
    return this;
  }

  next(value?: any): IteratorResult<Future<unknown>, T> {
    const p = this.pollNow();
    if (p === Poll.pending) return { done: false, value: this };
    const result = p === undefined ? value : (p as { value: T }).value;
    // `yield*` only reads the result, so a void result can share one frozen object.
    return result === undefined
      ? (DONE_UNDEFINED as IteratorResult<Future<unknown>, T>)
      : { done: true, value: result as T };
  }

  throw(error: unknown): IteratorResult<Future<unknown>, T> {
    throw error;
  }

  return(value?: any): IteratorResult<Future<unknown>, T> {
    return { done: true, value: value as T };
  }
}
