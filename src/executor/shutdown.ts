/**
 * Dropping what is left of an executor's tasks (when the root of `run` ends, on `shutdown()`,
 * and when a simulation ends), shared by `LocalExecutor` and `SimExecutor`.
 *
 * Invariants:
 * - Dropping a task may spawn new ones (a `drop()` or `finally` that spawns). They are queued,
 *   never polled: each round drops every task alive at its start, and rounds go on until a
 *   round drops nothing, so a chain of any depth is dropped to its end.
 * - A task that is polling right now (shutdown called from its own poll) is only flagged; it
 *   does not count as progress, so it cannot keep the rounds going.
 * - Drops that spawn forever are a cycle: after {@link MAX_SHUTDOWN_ROUNDS} rounds the tasks
 *   still alive are abandoned (finished as cancelled *without* dropping their futures, so
 *   nothing spawns again) and an error naming them is returned for `onUnhandledError`.
 * @module
 */
import type { IntrusiveList } from "../core/intrusive-list.js";
import type { Task } from "./task.js";

/** Rounds of drops that spawned new tasks after which shutdown calls it a cycle. */
export const MAX_SHUTDOWN_ROUNDS = 10_000;

/**
 * Drops every task of `live` except `keep`, round after round, calling `enter(task)` before each
 * drop (the executor records which task is being dropped). Returns `undefined`, or the error
 * that reports a cycle (see the module's invariants).
 */
export function dropLiveTasks(
  live: IntrusiveList<Task<unknown>>,
  keep: Task<unknown> | undefined,
  enter: (task: Task<unknown>) => void,
): Error | undefined {
  for (let round = 0; ; round++) {
    const tasks = live.toArray();
    if (round === MAX_SHUTDOWN_ROUNDS) return abandon(tasks, keep);
    let dropped = 0;
    for (const task of tasks) {
      if (task === keep) continue;
      enter(task);
      task.cancel();
      if (task.isFinished) dropped++;
    }
    if (dropped === 0) return undefined;
  }
}

function abandon(tasks: readonly Task<unknown>[], keep: Task<unknown> | undefined): Error {
  const left: string[] = [];
  for (const task of tasks) {
    if (task === keep || task.isFinished) continue;
    left.push(`  ${task.label} waits on ${task.waitingOn}`);
    task.abandon();
  }
  return new Error(
    `shutdown: dropping tasks kept spawning new ones for ${MAX_SHUTDOWN_ROUNDS} rounds (a ` +
      "drop() or finally that spawns a task whose drop spawns again?); gave up on " +
      `${left.length === 1 ? "this task" : `these ${left.length} tasks`}, whose cleanup did not run:\n` +
      left.join("\n"),
  );
}
