/**
 * The options of `SimExecutor`, their defaults, and their eager validation.
 *
 * Invariant: `checkOptions` either returns every option resolved to a valid value or throws a
 * TypeError/RangeError naming the option and what was expected.
 * @module
 */
import type { UnhandledErrorHandler } from "../executor/local-executor.js";
import { Schedule, type ScheduleData, scheduleData } from "./schedule.js";

/** Options of `SimExecutor`. */
export interface SimExecutorOptions {
  /**
   * Seed of the `"random"` and `"pct"` strategies: the same seed gives the same schedule.
   * @default 0
   */
  seed?: number;
  /**
   * Who picks the next ready task (and `select`'s start branch): `"random"` draws every choice
   * from `seed`; `"pct"` is Probabilistic Concurrency Testing (random task priorities, `depth - 1`
   * priority change points), which finds bugs of small depth with a guaranteed probability;
   * `"fifo"` always takes the task that has waited longest (and draws 0).
   * @default "random"
   */
  strategy?: "random" | "pct" | "fifo";
  /**
   * PCT only: the bug depth to aim for (how many ordering constraints the bug needs); PCT uses
   * `depth - 1` priority change points.
   * @default 3
   */
  depth?: number;
  /**
   * PCT only: an estimate of how many decisions a run makes (`sim.decisions` of an earlier run);
   * change points are drawn from `[1, steps]`.
   * @default 100
   */
  steps?: number;
  /**
   * Livelock guard: the run fails with `LivelockError` after this many task polls.
   * @default 100000
   */
  maxSteps?: number;
  /**
   * Follow this schedule (a `sim.schedule` string, a string printed by a failing property, or a
   * `Schedule` from `schedules(fc)`) instead of the strategy. Takes precedence over `strategy`.
   * @default undefined
   */
  schedule?: Schedule | string;
  /**
   * Receives errors nobody can await (a detached task's failure, an error raised while
   * dropping). Without it, `run` rejects with them once the run ends, so tests see them.
   * @default undefined (collect them and reject `run`)
   * @example
   * ```ts
   * new SimExecutor({ onUnhandledError: (e, task) => seen.push([task?.name, e]) });
   * ```
   */
  onUnhandledError?: UnhandledErrorHandler;
  /**
   * Record the run's timeline for `sim.trace()`: every poll, wake, outside step and fault.
   * Off, recording costs nothing.
   * @default false
   */
  trace?: boolean;
}

/** @internal The options with their defaults filled in. */
export interface ResolvedOptions {
  readonly seed: number;
  readonly strategy: "random" | "pct" | "fifo";
  readonly depth: number;
  readonly steps: number;
  readonly maxSteps: number;
  readonly schedule: ScheduleData | undefined;
  readonly onUnhandledError: UnhandledErrorHandler | undefined;
  readonly trace: boolean;
}

function whole(value: unknown, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `SimExecutor(options): ${name} must be a whole number >= ${min}, got ${String(value)}`,
    );
  }
  return value;
}

/** @internal */
export function checkOptions(options: SimExecutorOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new TypeError("SimExecutor(options): expected an options object");
  }
  const { strategy = "random", schedule, onUnhandledError } = options;
  if (strategy !== "random" && strategy !== "pct" && strategy !== "fifo") {
    throw new RangeError(
      `SimExecutor(options): strategy must be "random", "pct" or "fifo", got ${JSON.stringify(strategy)}`,
    );
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new RangeError(`SimExecutor(options): seed must be a safe integer, got ${String(seed)}`);
  }
  if (onUnhandledError !== undefined && typeof onUnhandledError !== "function") {
    throw new TypeError("SimExecutor(options): onUnhandledError must be a function");
  }
  if (options.trace !== undefined && typeof options.trace !== "boolean") {
    throw new TypeError("SimExecutor(options): trace must be a boolean");
  }
  let parsed: ScheduleData | undefined;
  if (schedule !== undefined) {
    parsed = scheduleData(typeof schedule === "string" ? Schedule.parse(schedule) : schedule);
    if (parsed === undefined) {
      throw new TypeError("SimExecutor(options): schedule must be a schedule string or a Schedule");
    }
  }
  return {
    seed,
    strategy,
    depth: whole(options.depth, "depth", 1, 3),
    steps: whole(options.steps, "steps", 1, 100),
    maxSteps: whole(options.maxSteps, "maxSteps", 1, 100_000),
    schedule: parsed,
    onUnhandledError,
    trace: options.trace === true,
  };
}
