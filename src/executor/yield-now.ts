/**
 * `yieldNow()`: give the other ready tasks a turn.
 * @module
 */
import type { Context } from "../core/context.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";

const READY_UNDEFINED: Poll<void> = Object.freeze({ value: undefined });

class YieldNow extends Future<void> {
  #polls = 0;
  poll(cx: Context): Poll<void> {
    const polls = this.#polls++;
    if (polls === 0) {
      cx.waker.wake();
      return Poll.pending;
    }
    if (polls === 1) return READY_UNDEFINED;
    throw new PollAfterReadyError("yieldNow() future");
  }
  override describe(): string {
    return "yieldNow";
  }
}

/**
 * Suspends the current task once and re-queues it behind the tasks that are already ready.
 * It wakes its own waker, so it works under any executor.
 *
 * Cancel safety: dropping it loses nothing.
 *
 * @example
 * ```ts
 * const busy = future(function* () {
 *   for (let i = 0; i < 1e6; i++) {
 *     step(i);
 *     if (i % 1000 === 0) yield* yieldNow(); // let other tasks run
 *   }
 * });
 * ```
 */
export function yieldNow(): Future<void> {
  return new YieldNow();
}
