/**
 * The public surface of `wakeful/testing`: the names a test author uses, and nothing of the
 * machinery behind them (the schedule encoding, the seeded generator).
 */
import { describe, expect, it } from "vitest";
import { DeadlockError as RootDeadlockError } from "../../src/index.js";
import * as testing from "../../src/testing.js";

describe("wakeful/testing exports", () => {
  it("are exactly the documented names", () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        "CountingWaker",
        "DeadlockError",
        "LivelockError",
        "MockTask",
        "Schedule",
        "ScheduleDivergenceError",
        "SimExecutor",
        "SimTrace",
        "assertPending",
        "assertReady",
        "countingWaker",
        "History",
        "checkLinearizable",
        "command",
        "LinearizabilityError",
        "linearizabilityProperty",
        "explore",
        "Shared",
        "shared",
        "faultPoint",
        "mockTask",
        "noopContext",
        "pendingOnce",
        "schedules",
      ].sort(),
    );
  });

  it("DeadlockError is the class that wakeful exports", () => {
    expect(testing.DeadlockError).toBe(RootDeadlockError);
  });
});
