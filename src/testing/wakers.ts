/**
 * Wakers and contexts for polling futures by hand in tests (the futures-test `task` helpers).
 *
 * Invariant: a `CountingWaker` counts every `wake()` call, including repeated ones; it never
 * schedules anything.
 * @module
 */
import { Context } from "../core/context.js";
import { Waker } from "../core/waker.js";

/**
 * A waker that counts how often it was woken, with a context around it for polling.
 *
 * @example
 * ```ts
 * const w = countingWaker();
 * fut.poll(w.context);   // Pending
 * tx.send(1);
 * w.wakeCount;           // 1: the future asked to be polled again
 * ```
 */
export class CountingWaker implements Waker {
  #count = 0;
  /** A context whose waker is this waker, to pass to `poll`. */
  readonly context: Context = new Context(this);

  /** How many times `wake()` was called since creation or the last `reset()`. */
  get wakeCount(): number {
    return this.#count;
  }

  /** True once `wake()` was called since creation or the last `reset()`. */
  get isWoken(): boolean {
    return this.#count > 0;
  }

  wake(): void {
    this.#count++;
  }

  willWake(other: Waker): boolean {
    return other === this;
  }

  /**
   * Sets the count back to 0.
   *
   * @example
   * ```ts
   * w.reset(); fut.poll(w.context); expect(w.isWoken).toBe(false);
   * ```
   */
  reset(): void {
    this.#count = 0;
  }
}

/**
 * A fresh {@link CountingWaker}: a waker that counts its wakes, with `context` to poll with.
 *
 * @example
 * ```ts
 * const w = countingWaker();
 * expect(sleep(10).poll(w.context)).toBe(Poll.pending);
 * expect(w.wakeCount).toBe(0);
 * ```
 */
export function countingWaker(): CountingWaker {
  return new CountingWaker();
}

/**
 * A context whose waker does nothing, for a poll whose wake-ups do not matter.
 *
 * @example
 * ```ts
 * expect(ready(1).poll(noopContext())).toEqual({ value: 1 });
 * ```
 */
export function noopContext(): Context {
  return NOOP_CONTEXT;
}

const NOOP_CONTEXT = /* @__PURE__ */ new Context(Waker.noop());
