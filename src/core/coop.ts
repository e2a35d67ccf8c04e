/**
 * Cooperative budget for one poll of a task (tokio's `coop`): a task that keeps finding its
 * futures ready never returns to its executor, so a loop over a million finished join handles
 * would hold the thread for its whole length. Leaf futures that can complete without waiting
 * spend one unit of the budget each time they do; once it is spent they wake the task and
 * return Pending instead, so the task yields and the executor (and through it the host event
 * loop) gets a turn. The task resumes at once on its next poll with a fresh budget.
 *
 * Invariants:
 * - Outside a task's poll the budget is unconstrained: hand-polled futures never yield for it.
 * - An executor calls `beginTaskBudget()` right before polling a task and `endTaskBudget()`
 *   right after (also when the poll throws).
 * - `proceed(cx)` spends one unit and returns true, or, when the budget is spent, wakes
 *   `cx.waker` and returns false: the caller returns Pending without changing anything else.
 * @module
 */
import type { Context } from "./context.js";

/** Units per task poll: tokio's figure. */
export const TASK_BUDGET = 128;

const UNCONSTRAINED = -1;

let remaining = UNCONSTRAINED;

/** @internal Gives the task about to be polled a fresh budget. */
export function beginTaskBudget(): void {
  remaining = TASK_BUDGET;
}

/** @internal Lifts the budget once the task's poll is over. */
export function endTaskBudget(): void {
  remaining = UNCONSTRAINED;
}

/** @internal Spends one unit of the current task's budget; false when none is left. */
export function tryProceed(): boolean {
  if (remaining === UNCONSTRAINED) return true;
  if (remaining === 0) return false;
  remaining--;
  return true;
}

/**
 * @internal
 * Like {@link tryProceed}, and when no unit is left also wakes `cx.waker`: the caller then
 * returns Pending, and completes on the next poll.
 */
export function proceed(cx: Context): boolean {
  if (tryProceed()) return true;
  cx.waker.wake();
  return false;
}
