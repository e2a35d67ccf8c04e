/**
 * Small leaf futures: `pollFn`, `ready`, `pending`, `lazy`.
 *
 * Invariant: each remembers that it finished and throws `PollAfterReadyError` if polled again.
 * @module
 */
import type { Context } from "./context.js";
import { PollAfterReadyError } from "./errors.js";
import { Future } from "./future.js";
import { Poll } from "./poll.js";

class PollFn<T> extends Future<T> {
  #f: ((cx: Context) => Poll<T>) | undefined;
  constructor(f: (cx: Context) => Poll<T>) {
    super();
    this.#f = f;
  }
  poll(cx: Context): Poll<T> {
    const f = this.#f;
    if (f === undefined) throw new PollAfterReadyError("pollFn future");
    const p = f(cx);
    if (p !== Poll.pending) this.#f = undefined;
    return p;
  }
  override drop(): void {
    this.#f = undefined;
  }
}

/**
 * Builds a future from a poll function, called each time the future is polled.
 *
 * Cancel safety: dropping it only stops calling `f`; whatever `f` registered is not undone.
 *
 * @example
 * ```ts
 * let polls = 0;
 * const twice = pollFn((cx) => {
 *   if (++polls < 2) { cx.waker.wake(); return Poll.pending; }
 *   return Poll.ready(polls);
 * });
 * ```
 */
export function pollFn<T>(f: (cx: Context) => Poll<T>): Future<T> {
  if (typeof f !== "function") throw new TypeError("pollFn(f): expected a function");
  return new PollFn(f);
}

class ReadyFuture<T> extends Future<T> {
  #value: T;
  #done = false;
  constructor(value: T) {
    super();
    this.#value = value;
  }
  poll(): Poll<T> {
    if (this.#done) throw new PollAfterReadyError("ready() future");
    this.#done = true;
    return { value: this.#value };
  }
  override describe(): string {
    return "ready";
  }
}

/**
 * A future that is ready with `value` on its first poll.
 *
 * Cancel safety: dropping it loses nothing.
 *
 * @example
 * ```ts
 * const answer = await run(ready(42));
 * ```
 */
export function ready<T>(value: T): Future<T> {
  return new ReadyFuture(value);
}

class PendingFuture extends Future<never> {
  poll(): Poll<never> {
    return Poll.pending;
  }
  override describe(): string {
    return "pending()";
  }
}

/**
 * A future that never completes (it never wakes its waker either). Useful in `select` and tests.
 *
 * Cancel safety: dropping it loses nothing.
 *
 * @example
 * ```ts
 * const { index } = yield* select(pending(), sleep(10)); // index === 1
 * ```
 */
export function pending<T = never>(): Future<T> {
  if (sharedPending === undefined) sharedPending = new PendingFuture();
  return sharedPending as Future<T>;
}

/**
 * Stateless, so one instance serves every caller. Made at the first `pending()`: a bundle that
 * only checks for it (`isSharedPending`, for `join` and `select`) then carries no class.
 */
let sharedPending: PendingFuture | undefined;

/**
 * @internal Whether `fut` is the shared `pending()` future: it holds no state and never wakes
 * anyone, so any number of owners may poll it at once.
 */
export function isSharedPending(fut: unknown): boolean {
  return fut === sharedPending && fut !== undefined;
}

class LazyFuture<T> extends Future<T> {
  #f: (() => T) | undefined;
  constructor(f: () => T) {
    super();
    this.#f = f;
  }
  poll(): Poll<T> {
    const f = this.#f;
    if (f === undefined) throw new PollAfterReadyError("lazy() future");
    this.#f = undefined;
    return { value: f() };
  }
  override drop(): void {
    this.#f = undefined;
  }
}

/**
 * A future that calls `f` on its first poll and is ready with its result (or throws its error).
 *
 * Cancel safety: dropped before its poll, `f` never runs.
 *
 * @example
 * ```ts
 * const now = lazy(() => Date.now()); // nothing is read until polled
 * ```
 */
export function lazy<T>(f: () => T): Future<T> {
  if (typeof f !== "function") throw new TypeError("lazy(f): expected a function");
  return new LazyFuture(f);
}
