/**
 * `pendingOnce(fut?)`: a future that returns Pending once (waking its waker at once) before
 * delegating, as futures-test's `pending_once`. It makes code paths that only run on a second
 * poll reachable, and adds a scheduling point for the simulation executor to interleave.
 *
 * States: first poll → wake + Pending; later polls → the inner future's poll (or Ready
 * `undefined` when there is none). `drop()` drops the inner future.
 * @module
 */
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { assertFuture, Future } from "../core/future.js";
import { Poll, READY_VOID } from "../core/poll.js";

class PendingOnce<T> extends Future<T> {
  #inner: Future<T> | undefined;
  #state = 0; // 0: not polled, 1: delegating, 2: done or dropped

  constructor(inner: Future<T> | undefined) {
    super();
    this.#inner = inner;
  }

  poll(cx: Context): Poll<T> {
    if (this.#state === 0) {
      this.#state = 1;
      cx.waker.wake();
      return Poll.pending;
    }
    if (this.#state === 2) throw new PollAfterReadyError("pendingOnce future");
    const inner = this.#inner;
    if (inner === undefined) {
      this.#state = 2;
      return READY_VOID as Poll<T>;
    }
    let p: Poll<T>;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#state = 2;
      this.#inner = undefined;
      throw error;
    }
    if (p !== Poll.pending) {
      this.#state = 2;
      this.#inner = undefined;
    }
    return p;
  }

  override drop(): void {
    this.#state = 2;
    const inner = this.#inner;
    this.#inner = undefined;
    inner?.drop();
  }

  override describe(): string {
    if (this.#state === 0) return "pendingOnce";
    return this.#inner === undefined ? "pendingOnce (done)" : this.#inner.describe();
  }
}

/**
 * A future that is Pending on its first poll (waking its waker at once, so it is polled again
 * straight away) and then behaves like `fut`, or is Ready with `undefined` when no `fut` is
 * given. Use it to test that code handles a Pending it did not expect, or to add a scheduling
 * point under `SimExecutor`.
 *
 * Cancel safety: dropping it drops `fut`; whatever `fut` loses when dropped is lost.
 *
 * @example
 * ```ts
 * const w = countingWaker();
 * const fut = pendingOnce(ready(5));
 * fut.poll(w.context);  // Pending, and w.wakeCount === 1
 * fut.poll(w.context);  // { value: 5 }
 * ```
 */
export function pendingOnce(): Future<void>;
export function pendingOnce<T>(fut: Future<T>): Future<T>;
export function pendingOnce<T>(fut?: Future<T>): Future<T | undefined> {
  if (fut !== undefined) assertFuture(fut, "pendingOnce(fut)");
  return new PendingOnce<T | undefined>(fut);
}
