/**
 * What an executor gives the tasks it owns, and what tasks spawned together share.
 *
 * Invariants:
 * - `OwnedTasks` makes one `TaskHome` per spawning task, batch of polls and scope, and never
 *   changes it: every task spawned by the same task in the same batch with the same scope (or
 *   from outside, in the same millisecond, with the same host context) holds the same one.
 * - A task reads its scheduler, owner and scope through its home: one load more per wake, four
 *   fields fewer per task.
 * @module
 */
import type { TaskScope } from "../core/task-scope.js";

/**
 * The executor's side of its tasks' wakes: the object it gave `OwnedTasks` (its `TaskHooks`).
 * Tasks call these as methods on that object, so an executor that hands over an instance of one
 * class (as `LocalExecutor` does) gets a monomorphic call on every wake, not a closure call.
 */
export interface TaskScheduler<T> {
  /** Put `task` (now SCHEDULED) on the ready queue. Called at most once until it runs again. */
  schedule(task: T): void;
  /**
   * A task that woke itself by yielding asks whether it may go on at once: true when the
   * executor would poll it next with nothing in between (nothing else is ready, its time slice
   * has room), the repoll then counting as one poll. Absent: never.
   */
  repollNow?(): boolean;
}

/** What the owner of the tasks (`OwnedTasks`) hears from them. */
export interface TaskOwner<T> {
  /** `task` reached DONE. */
  finished(task: T): void;
  /** An error nobody can receive: a detached task's failure, or an error raised while dropping. */
  unhandled(error: unknown, task: T): void;
}

/**
 * What the tasks spawned together share (one object for all of them): who runs them and who
 * owns them, what they inherited from their spawner (task-locals and host context), who spawned
 * them (a task id, 0 for none) and when (the owner's clock in whole ms). A loop that spawns a
 * thousand tasks makes one, and each task is four fields smaller (24 B); a task spawned alone
 * pays for a home of its own (about 40 B more).
 */
export interface TaskHome<T> {
  readonly scheduler: TaskScheduler<T>;
  readonly owner: TaskOwner<T>;
  readonly scope: TaskScope;
  readonly parent: number;
  readonly spawnedAt: number;
}
