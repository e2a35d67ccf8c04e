/**
 * Test helper: the timer driver an executor's timers use (it lives in the executor's runtime
 * context, made on first use), read from inside one of its tasks.
 */
import type { Executor } from "../../src/index.js";
import { lazy } from "../../src/index.js";
import { type TimerDriver, timerDriver } from "../../src/time/timer-driver.js";

/** Runs a one-poll task on `ex` (a manual LocalExecutor) that reads its timer driver. */
export function driverOf(ex: Executor & { runUntilStalled(): number }): TimerDriver {
  let driver: TimerDriver | undefined;
  ex.spawn(
    lazy(() => {
      driver = timerDriver();
    }),
  );
  ex.runUntilStalled();
  if (driver === undefined) throw new Error("driverOf: the executor did not run the probe task");
  return driver;
}
