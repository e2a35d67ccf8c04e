/**
 * `timeout(ms, fut)`: `fut`'s value, or `TimeoutError` once `ms` have passed (and `fut` was
 * dropped).
 *
 * Invariants:
 * - The timer is a `Sleep` owned by the timeout (the sleep is itself the timer-driver entry,
 *   so a timeout costs two objects and no closure). It starts at the first poll in which `fut`
 *   is still pending, and is deregistered as soon as `fut` finishes, throws or is dropped.
 * - Each poll polls `fut` first: a future that is ready by the time the timer fires wins.
 * - `#inner` is set while the timeout is unfinished; after that nothing is polled or dropped.
 * @module
 */
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { assertUnowned } from "../core/ownership.js";
import { Poll } from "../core/poll.js";
import { dropQuietly } from "../core/unhandled.js";
import { checkMs, Sleep } from "../time/sleep.js";
import { TimeoutError } from "./errors.js";

class Timeout<T> extends Future<T> {
  #inner: Future<T> | undefined;
  readonly #timer: Sleep;
  readonly #ms: number;

  constructor(ms: number, inner: Future<T>) {
    super();
    this.#ms = ms;
    this.#inner = inner;
    this.#timer = new Sleep(ms, undefined);
  }

  poll(cx: Context): Poll<T> {
    const inner = this.#inner;
    if (inner === undefined) throw new PollAfterReadyError("timeout");
    let p: Poll<T>;
    try {
      p = inner.poll(cx);
    } catch (error) {
      this.#inner = undefined;
      this.#timer.drop();
      throw error;
    }
    if (p !== Poll.pending) {
      this.#inner = undefined;
      this.#timer.drop();
      return p;
    }
    if (this.#timer.poll(cx) === Poll.pending) return p;
    this.#inner = undefined;
    dropQuietly(inner);
    throw new TimeoutError(this.#ms);
  }

  override drop(): void {
    const inner = this.#inner;
    if (inner === undefined) return;
    this.#inner = undefined;
    dropQuietly(inner);
    this.#timer.drop();
  }

  override describe(): string {
    const inner = this.#inner;
    return inner === undefined
      ? `timeout(${this.#ms}) (done)`
      : `timeout(${this.#ms}, ${inner.describe()})`;
  }
}

/**
 * Gives `fut`'s value if it finishes within `ms` milliseconds (on the executor's clock, virtual
 * under `SimExecutor`); otherwise drops `fut` (its cleanup runs) and throws `TimeoutError`.
 * The clock starts at the first poll. `fut` is polled before the timer, so a future that is
 * ready when the deadline passes still wins. When `fut` wins, its timer is cancelled at once:
 * nothing keeps the process alive afterwards.
 *
 * Cancel safety: dropping the timeout drops `fut` and cancels the timer, so it is exactly as
 * safe as `fut`. When the time runs out, whatever `fut` had half done is abandoned the same
 * way: for an operation that is not cancel-safe, shut the resource down on `TimeoutError`
 * instead of reusing it (see [cancel safety](../../docs/cancellation.md)).
 *
 * @example
 * ```ts
 * try {
 *   const user = yield* timeout(5000, fetchUser(id));
 * } catch (e) {
 *   if (e instanceof TimeoutError) return notFound(); // the request was aborted
 *   throw e;
 * }
 * ```
 */
export function timeout<T>(ms: number, fut: Future<T>): Future<T> {
  checkMs(ms, "timeout(ms, fut)");
  assertUnowned(fut, "timeout(ms, fut): fut");
  return new Timeout(ms, fut);
}
