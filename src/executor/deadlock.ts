/**
 * `DeadlockError`: tasks wait and nothing can ever wake them. `SimExecutor.run` rejects with it
 * when no task is ready and no timer or outside work is left; `run()` (a `LocalExecutor` root)
 * when the host is about to exit while its root is still pending (node/exit-watch.ts).
 *
 * Invariant: the report lists every live task, oldest first, with what it waits on (from
 * `Future#describe`), so the cycle can be read off it.
 * @module
 */
import type { TaskInfo } from "./task-info.js";

/**
 * Every remaining task is waiting and nothing can wake any of them. `tasks` lists them with what
 * each waits on.
 *
 * Under `SimExecutor` (from `wakeful/testing`): no task is ready, no timer is pending and no
 * outside work (a `fromPromise`) is under way, or the host is about to exit while the outside
 * work they wait on is still unfinished; `schedule` replays the run that got here
 * (`SimExecutor.replay(err.schedule)`) and `now` is the virtual time.
 *
 * Under `run()`: the host is about to exit (Node's `beforeExit`) while the root is still
 * pending, so no timer, I/O or other outside work is left that could wake it; `schedule` and
 * `now` are `undefined`. The tasks are dropped (their cleanup runs) before `run` rejects.
 *
 * @example
 * ```ts
 * try {
 *   await run(main());
 * } catch (e) {
 *   if (e instanceof DeadlockError) console.table(e.tasks); // id, name, waitingOn, …
 * }
 * ```
 */
export class DeadlockError extends Error {
  /** The stuck tasks, oldest first. */
  readonly tasks: readonly TaskInfo[];
  /** The schedule of the simulated run so far, to replay it; `undefined` under `run()`. */
  readonly schedule: string | undefined;
  /** Virtual time (ms) when the simulation found the deadlock; `undefined` under `run()`. */
  readonly now: number | undefined;
  /** Errors nobody handled before a simulation found the deadlock. */
  readonly unhandled: unknown[] = [];

  /**
   * @param tasks the stuck tasks, oldest first
   * @param schedule the simulated run's schedule (omit it for a deadlock under `run()`)
   * @param now the virtual time of the simulation
   * @param hostExit the simulation was waiting for outside work when the host was about to exit
   */
  constructor(tasks: readonly TaskInfo[], schedule?: string, now?: number, hostExit = false) {
    super(deadlockReport(tasks, schedule, now, hostExit));
    this.name = "DeadlockError";
    this.tasks = tasks;
    this.schedule = schedule;
    this.now = now;
  }
}

/**
 * The text of a deadlock report (the message of a {@link DeadlockError}); the arguments are the
 * error's constructor arguments.
 *
 * @example
 * ```ts
 * deadlockReport(tasks, "w1:.0000", 0);
 * // "deadlock: 2 tasks wait and nothing can wake them …\n  #2 (a) waits on oneshot …"
 * ```
 */
export function deadlockReport(
  tasks: readonly TaskInfo[],
  schedule?: string,
  now?: number,
  hostExit = false,
): string {
  const lines = tasks.map((t) => {
    const name = t.name === undefined ? `#${t.id}` : `#${t.id} (${t.name})`;
    return `  ${name} waits on ${t.waitingOn}`;
  });
  const count = tasks.length === 1 ? "1 task waits" : `${tasks.length} tasks wait`;
  if (schedule === undefined) {
    return [
      `deadlock: run()'s root is still pending but the host is about to exit: ${count} and ` +
        "nothing can wake them (no timer, I/O or other outside work is left)",
      ...lines,
    ].join("\n");
  }
  const why = hostExit
    ? "the host is about to exit, so the outside work they wait on can never finish"
    : "no ready task, no timer, no outside work";
  return [
    `deadlock: ${count} and nothing can wake them (${why})`,
    ...lines,
    `at virtual time ${now} ms; replay with SimExecutor.replay(${shortSchedule(schedule)})`,
  ].join("\n");
}

/** Schedules longer than this are cut short in messages (the full one is on the error). */
const SHOWN = 240;

/** @internal A schedule as shown in an error message: quoted, and cut short when long. */
export function shortSchedule(schedule: string): string {
  if (schedule.length <= SHOWN) return JSON.stringify(schedule);
  return `${JSON.stringify(`${schedule.slice(0, SHOWN)}…`)} (${schedule.length} characters: see error.schedule)`;
}
