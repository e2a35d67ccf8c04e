/**
 * The simulation executor's own failures, besides `DeadlockError` (executor/deadlock.ts): a
 * run that exceeds `maxSteps`, and a replay that departs from its schedule.
 *
 * Invariant: each carries the schedule of the run so far (`schedule`), so it can be replayed.
 * @module
 */
import { shortSchedule } from "../executor/deadlock.js";

/**
 * A simulated run polled tasks `maxSteps` times without finishing: a livelock (tasks that keep
 * waking each other, a `yieldNow` loop waiting for something that never happens) or a program
 * that needs a larger `maxSteps`.
 *
 * @example
 * ```ts
 * await expect(new SimExecutor({ maxSteps: 1000 }).run(spin())).rejects.toThrow(LivelockError);
 * ```
 */
export class LivelockError extends Error {
  /** The limit that was reached. */
  readonly maxSteps: number;
  /** The schedule of the run so far. */
  readonly schedule: string;
  /** Errors nobody handled before the limit was reached. */
  readonly unhandled: unknown[] = [];

  constructor(maxSteps: number, schedule: string) {
    super(
      `livelock: the run did not finish within maxSteps = ${maxSteps} task polls (tasks that ` +
        "keep waking each other? raise maxSteps if the program is just long); schedule so " +
        `far: ${shortSchedule(schedule)}`,
    );
    this.name = "LivelockError";
    this.maxSteps = maxSteps;
    this.schedule = schedule;
  }
}

/**
 * A replayed run did not make the decisions its schedule recorded: the program is not the same,
 * or not deterministic (it reads `Math.random()`, real time or real I/O inside the simulation).
 *
 * @example
 * ```ts
 * await expect(SimExecutor.replay(oldSchedule).run(changedProgram())).rejects.toThrow(
 *   ScheduleDivergenceError,
 * );
 * ```
 */
export class ScheduleDivergenceError extends Error {
  /** The schedule of the run as far as it got. */
  readonly schedule: string;
  /** Errors nobody handled before the divergence was found. */
  readonly unhandled: unknown[] = [];

  constructor(detail: string, schedule: string) {
    super(
      `the run diverged from the schedule it replays: ${detail}. A replay must run the same ` +
        "deterministic program (no Math.random(), real time or real I/O inside the simulation); " +
        `this run's own schedule: ${shortSchedule(schedule)}`,
    );
    this.name = "ScheduleDivergenceError";
    this.schedule = schedule;
  }
}
