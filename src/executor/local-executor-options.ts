/**
 * The options of `LocalExecutor` and `run()`, and their checks.
 *
 * Invariant: every option is validated when the executor is made, with an error naming the
 * option; a missing option takes the documented default.
 * @module
 */
import type { Clock } from "../core/clock.js";
import type { TaskInfo } from "./task-info.js";

/** Receives errors nobody can await: see {@link LocalExecutorOptions.onUnhandledError}. */
export type UnhandledErrorHandler = (error: unknown, task: TaskInfo | undefined) => void;

/** Options of {@link LocalExecutor} and `run()`. */
export interface LocalExecutorOptions {
  /**
   * Called with errors nobody can await: a task failure whose handle was dropped or never
   * awaited by the time the executor shuts down, and errors raised while dropping futures.
   * @default behave like an unhandled Promise rejection in the host
   * @example
   * ```ts
   * run(main(), { onUnhandledError: (e, task) => log.error({ task: task?.name }, e) });
   * ```
   */
  onUnhandledError?: UnhandledErrorHandler;
  /**
   * Polls per slice before control goes back to the host event loop.
   * @default 1024
   */
  budgetPolls?: number;
  /**
   * Milliseconds per slice before control goes back to the host event loop.
   * @default 5
   */
  budgetMs?: number;
  /**
   * When true, wakes queue tasks but nothing drains the queue until you call
   * {@link LocalExecutor.runUntilStalled} or {@link LocalExecutor.tryRunOne} (or `run`).
   * @default false
   */
  manual?: boolean;
  /**
   * The clock every timer of this executor reads (`sleep`, `timeout`, `interval`, `Instant`);
   * a `ManualClock` makes time move only when a test advances it.
   * @default the system clock (`performance.now()` and host timers)
   * @example
   * ```ts
   * const clock = new ManualClock();
   * const ex = new LocalExecutor({ manual: true, clock });
   * ```
   */
  clock?: Clock;
}

/** @internal A positive number option, or `fallback` when it is missing. */
export function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0)) {
    throw new RangeError(`LocalExecutor: ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}
