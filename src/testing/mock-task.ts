/**
 * `mockTask(fut)`: poll a future by hand and watch its wake-ups, as tokio-test's `task::spawn`.
 *
 * Invariants:
 * - Every poll uses the mock's own waker, so `isWoken` means "the future asked to be polled
 *   again since the last poll"; `poll()` clears it before polling.
 * - Once the future returned Ready, threw, or was dropped, `poll()` throws instead of polling it.
 * @module
 */
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { assertFuture, type Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import { countingWaker } from "./wakers.js";

/**
 * A future under a test's control: `poll()` polls it with the mock's own waker; `isWoken` tells
 * whether it was woken since the last poll.
 *
 * @example
 * ```ts
 * const [tx, rx] = oneshot<number>();
 * const task = mockTask(rx);
 * expect(task.poll()).toBe(Poll.pending);
 * expect(task.isWoken).toBe(false);
 * tx.send(7);
 * expect(task.isWoken).toBe(true);
 * expect(task.poll()).toEqual({ value: 7 });
 * ```
 */
export class MockTask<T> implements Disposable {
  #future: Future<T> | undefined;
  readonly #waker = countingWaker();
  readonly #cx: Context = this.#waker.context;
  #woken = 0;
  #polls = 0;

  private constructor(fut: Future<T>) {
    this.#future = fut;
  }

  /**
   * Polls the future once. Throws `PollAfterReadyError` once it has finished or was dropped.
   *
   * @example
   * ```ts
   * const p = task.poll();
   * if (Poll.isReady(p)) console.log(p.value);
   * ```
   */
  poll(): Poll<T> {
    const fut = this.#future;
    if (fut === undefined) throw new PollAfterReadyError("mockTask future");
    this.#woken = this.#waker.wakeCount;
    this.#polls++;
    let p: Poll<T>;
    try {
      p = fut.poll(this.#cx);
    } catch (error) {
      this.#future = undefined;
      throw error;
    }
    if (p !== Poll.pending) this.#future = undefined;
    return p;
  }

  /** True when the future was woken since the last `poll()` (or since creation). */
  get isWoken(): boolean {
    return this.#waker.wakeCount > this.#woken;
  }

  /** How many times the future woke the mock's waker in total. */
  get wakeCount(): number {
    return this.#waker.wakeCount;
  }

  /** How many times `poll()` was called. */
  get polls(): number {
    return this.#polls;
  }

  /** True once the future returned Ready, threw, or was dropped. */
  get isDone(): boolean {
    return this.#future === undefined;
  }

  /**
   * Drops the future (its cleanup runs). Idempotent.
   *
   * @example
   * ```ts
   * task.drop(); // e.g. check that a dropped recv() loses no message
   * ```
   */
  drop(): void {
    const fut = this.#future;
    this.#future = undefined;
    fut?.drop();
  }

  /** Same as `drop()`: drops the future if it is unfinished. */
  [Symbol.dispose](): void {
    this.drop();
  }
}

/**
 * Wraps `fut` in a {@link MockTask} to poll it by hand and check its wake-ups.
 *
 * Cancel safety: nothing is polled until you call `poll()`; `drop()` drops `fut`.
 *
 * @example
 * ```ts
 * using task = mockTask(sem.acquire());
 * expect(task.poll()).toBe(Poll.pending);
 * permit.release();
 * expect(task.isWoken).toBe(true);
 * ```
 */
export function mockTask<T>(fut: Future<T>): MockTask<T> {
  assertFuture(fut, "mockTask(fut)");
  const make = MockTask as unknown as new (fut: Future<T>) => MockTask<T>;
  return new make(fut);
}
