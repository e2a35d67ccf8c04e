/**
 * `yieldNow()`: give the other ready tasks a turn.
 * @module
 */
import type { Future } from "../core/future.js";
import { YieldOnce } from "../core/yield-once.js";

/**
 * Suspends the current task once and re-queues it behind the tasks that are already ready.
 * It wakes its own waker, so it works under any executor. When no other task is ready,
 * `LocalExecutor` lets the task go on at once instead of a round trip through its ready queue
 * (it would poll it next anyway); the yield still counts as a poll and against the host time
 * slice, so timers and I/O callbacks get their turn as before.
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
  return new YieldOnce();
}
