/**
 * Task dumps: the snapshot of one task that `LocalExecutor#tasks()`, `SimExecutor#tasks()`,
 * deadlock reports and the unhandled-error hook give.
 *
 * Invariant: a snapshot is a plain frozen-shape object built from the task's stamps at the time
 * of the call; it holds no reference to the task, so keeping one never keeps a task alive.
 * @module
 */
import type { TaskState } from "./task-state.js";

/** A snapshot of one task, as listed by {@link LocalExecutor.tasks}. */
export interface TaskInfo {
  /** Unique id within the executor. */
  readonly id: number;
  /** The name given at spawn, if any. */
  readonly name: string | undefined;
  /** `"idle"` (waiting for a wake), `"scheduled"` (queued), `"running"` or `"done"`. */
  readonly state: TaskState;
  /** How many times the task's future has been polled. */
  readonly polls: number;
  /** What the task's future is waiting on (from `Future#describe`). */
  readonly waitingOn: string;
  /** The id of the task whose poll spawned this one; `undefined` when spawned from outside a task. */
  readonly parent: number | undefined;
  /** Milliseconds since the task was spawned, on the executor's clock (virtual under `SimExecutor`). */
  readonly age: number;
  /**
   * Milliseconds since the task was last polled, on the executor's clock; `undefined` before
   * its first poll. Stamped once per batch of polls, so it is exact on a virtual or manual
   * clock and within one budget slice (`budgetMs`) on the system clock.
   */
  readonly sinceLastPoll: number | undefined;
}

/** @internal What a task dump reads of a task (a `Task` has it all). */
export interface TaskStamps {
  readonly id: number;
  readonly name: string | undefined;
  readonly state: TaskState;
  readonly polls: number;
  readonly waitingOn: string;
  readonly polledAt: number;
  readonly home: { readonly parent: number; readonly spawnedAt: number };
}

/**
 * @internal A task's entry in a task dump or deadlock report; `now` is its owner's clock in the
 * units of the task's stamps (whole ms since the owner's epoch, see owned-tasks.ts).
 */
export function taskInfo(task: TaskStamps, now: number): TaskInfo {
  const polls = task.polls;
  return {
    id: task.id,
    name: task.name,
    state: task.state,
    polls,
    waitingOn: task.waitingOn,
    parent: task.home.parent === 0 ? undefined : task.home.parent,
    age: now - task.home.spawnedAt,
    sinceLastPoll: polls === 0 ? undefined : now - task.polledAt,
  };
}
