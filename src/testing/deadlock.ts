/**
 * `DeadlockError`: what `SimExecutor.run` rejects with when tasks wait and nothing can wake them
 * (no ready task, no timer, no outside work under way), and the report it prints.
 *
 * Invariant: the report lists every live task, oldest first, with what it waits on (from
 * `Future#describe`), so the cycle can be read off it.
 * @module
 */
import type { TaskInfo } from "../executor/local-executor.js";
import type { Task } from "../executor/task.js";
import { shortSchedule } from "./errors.js";

/**
 * Every remaining task is waiting and nothing can wake any of them: no task is ready, no timer
 * is pending and no outside work (a `fromPromise`) is under way. `tasks` lists them with what
 * each waits on; `schedule` replays the run that got here (`SimExecutor.replay(err.schedule)`).
 *
 * @example
 * ```ts
 * try {
 *   await new SimExecutor().run(program());
 * } catch (e) {
 *   if (e instanceof DeadlockError) console.table(e.tasks); // id, name, waitingOn, …
 * }
 * ```
 */
export class DeadlockError extends Error {
  /** The stuck tasks, oldest first. */
  readonly tasks: readonly TaskInfo[];
  /** The schedule of the run so far, to replay it. */
  readonly schedule: string;
  /** Virtual time (ms) when the deadlock was found. */
  readonly now: number;
  /** Errors nobody handled before the deadlock was found. */
  readonly unhandled: unknown[] = [];

  constructor(tasks: readonly TaskInfo[], schedule: string, now: number) {
    super(deadlockReport(tasks, schedule, now));
    this.name = "DeadlockError";
    this.tasks = tasks;
    this.schedule = schedule;
    this.now = now;
  }
}

/**
 * The text of a deadlock report.
 *
 * @example
 * ```ts
 * deadlockReport(tasks, "w1:.0000", 0);
 * // "deadlock: 2 tasks wait and nothing can wake them …\n  #2 (a) waits on oneshot …"
 * ```
 */
export function deadlockReport(tasks: readonly TaskInfo[], schedule: string, now: number): string {
  const lines = tasks.map((t) => {
    const name = t.name === undefined ? `#${t.id}` : `#${t.id} (${t.name})`;
    return `  ${name} waits on ${t.waitingOn}`;
  });
  const count = tasks.length === 1 ? "1 task waits" : `${tasks.length} tasks wait`;
  return [
    `deadlock: ${count} and nothing can wake them (no ready task, no timer, no outside work)`,
    ...lines,
    `at virtual time ${now} ms; replay with SimExecutor.replay(${shortSchedule(schedule)})`,
  ].join("\n");
}

/** @internal A task's entry in a task dump or deadlock report. */
export function taskInfo(task: Task<unknown>): TaskInfo {
  return {
    id: task.id,
    name: task.name,
    state: task.state,
    polls: task.polls,
    waitingOn: task.waitingOn,
  };
}
