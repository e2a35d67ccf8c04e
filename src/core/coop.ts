/**
 * Cooperative budget for one poll of a task (kept in the runtime context, runtime.ts) (tokio's `coop`): a task that keeps finding its
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
import { RT } from "./runtime.js";

/** Units per task poll: tokio's figure. */
export const TASK_BUDGET = 128;

const UNCONSTRAINED = -1;

/**
 * Gives the task about to be polled a fresh cooperative budget: executors that poll futures
 * themselves (not through `OwnedTasks`) call it right before each task poll, and
 * {@link endTaskBudget} right after.
 *
 * @example
 * ```ts
 * beginTaskBudget();
 * try { p = task.future.poll(task.cx); } finally { endTaskBudget(); }
 * ```
 */
export function beginTaskBudget(): void {
  RT.budget = TASK_BUDGET;
}

/**
 * Lifts the cooperative budget once a task's poll is over (see {@link beginTaskBudget}).
 *
 * @example
 * ```ts
 * try { p = fut.poll(cx); } finally { endTaskBudget(); }
 * ```
 */
export function endTaskBudget(): void {
  RT.budget = UNCONSTRAINED;
}

/** @internal Spends one unit of the current task's budget; false when none is left. */
export function tryProceed(): boolean {
  const remaining = RT.budget;
  if (remaining === UNCONSTRAINED) return true;
  if (remaining === 0) return false;
  RT.budget = remaining - 1;
  return true;
}

/**
 * @internal True when the current task has spent its whole budget: a combinator polling many
 * children stops there and leaves the rest for its next poll, instead of polling children that
 * can only answer Pending (which would make a burst of N ready children cost O(N²) polls).
 */
export function budgetSpent(): boolean {
  return RT.budget === 0;
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
