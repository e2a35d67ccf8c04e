import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import type { Future } from "../../src/core/future.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Mutex } from "../../src/sync/mutex.js";
import { Schedule, scheduleData } from "../../src/testing/schedule.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";

/** Two deposits into one balance; the second does more validation (yields) before its update. */
function deposits(): Future<number> {
  return future(function* () {
    const account = { balance: 0 };
    const deposit = (amount: number, checks: number) =>
      future(function* () {
        for (let i = 0; i < checks; i++) yield* yieldNow(); // validate the request
        const balance = account.balance; // read
        yield* yieldNow(); // write an audit log entry
        account.balance = balance + amount; // write
      });
    const a = spawn(deposit(10, 0), { name: "a" });
    const b = spawn(deposit(20, 2), { name: "b" });
    yield* a;
    yield* b;
    return account.balance;
  });
}

function lockedDeposits(): Future<number> {
  return future(function* () {
    const account = new Mutex({ balance: 0 });
    const deposit = (amount: number, checks: number) =>
      future(function* () {
        for (let i = 0; i < checks; i++) yield* yieldNow();
        const guard = yield* account.lock();
        try {
          const balance = guard.value.balance;
          yield* yieldNow();
          guard.value.balance = balance + amount;
        } finally {
          guard.release();
        }
      });
    const a = spawn(deposit(10, 0));
    const b = spawn(deposit(20, 2));
    yield* a;
    yield* b;
    const guard = yield* account.lock();
    return guard.value.balance;
  });
}

describe("schedules(fc)", () => {
  it("finds the lost update and shrinks it to a short, replayable deviation list", async () => {
    expect(await new SimExecutor({ strategy: "fifo" }).run(deposits())).toBe(30);
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        expect(await sim.run(deposits())).toBe(30);
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample as [Schedule];
    expect(shrunk.kind).toBe("deviations");
    const deviations = scheduleData(shrunk)?.deviations ?? [];
    expect(deviations.length).toBeGreaterThan(0);
    expect(deviations.length).toBeLessThanOrEqual(2);
    // The counterexample prints as a quoted string that replays the failure.
    const printed = fc.stringify(details.counterexample);
    expect(printed).toBe(`[${JSON.stringify(String(shrunk))}]`);
    expect(await SimExecutor.replay(String(shrunk)).run(deposits())).not.toBe(30);
    // Minimal: dropping any one deviation makes the race disappear.
    for (let i = 0; i < deviations.length; i++) {
      const fewer = Schedule.fromDeviations(deviations.filter((_, j) => j !== i));
      expect(await new SimExecutor({ schedule: fewer }).run(deposits())).toBe(30);
    }
  });

  it("the Mutex version passes for every schedule", async () => {
    await fc.assert(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        expect(await new SimExecutor({ schedule }).run(lockedDeposits())).toBe(30);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("validates the fast-check module and its options", () => {
    expect(() => schedules(fc, { steps: 0 })).toThrow(/steps must be a whole number >= 1/);
    expect(() => schedules(fc, { maxDeviations: -1 })).toThrow(/maxDeviations/);
    expect(() => schedules({} as never)).toThrow(/must be the fast-check module/);
    expect(() => schedules(fc, 3 as never)).toThrow(/expected an options object/);
    const samples = fc.sample(schedules(fc, { steps: 5, maxDeviations: 3 }), {
      seed: 1,
      numRuns: 50,
    });
    for (const s of samples) {
      expect(s).toBeInstanceOf(Schedule);
      const deviations = scheduleData(s)?.deviations;
      expect(deviations).toBeDefined();
      expect((deviations ?? []).length).toBeLessThanOrEqual(3);
      for (const [step] of deviations ?? []) expect(step).toBeLessThan(5);
    }
  });
});
