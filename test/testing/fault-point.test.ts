/** `faultPoint(name, probability)`: false outside a simulation, a recorded decision inside (issue 14). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { run } from "../../src/executor/spawn.js";
import { faultPoint } from "../../src/testing/fault-point.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";

/** Draws `n` fault points named after their index; returns which fired. */
const draws = (n: number, probability: number) =>
  future(function* () {
    const fired: number[] = [];
    for (let i = 0; i < n; i++) if (faultPoint(`p${i}`, probability)) fired.push(i);
    return fired;
  });

describe("faultPoint", () => {
  it("is false outside any executor and under LocalExecutor, without reading its arguments", async () => {
    expect(faultPoint("anything", 1)).toBe(false);
    expect(faultPoint(42 as never, 7)).toBe(false);
    expect(await run(draws(10, 1))).toEqual([]);
    const ex = new LocalExecutor({ manual: true });
    const h = ex.spawn(draws(10, 1));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
  });

  it("under FIFO never fires and makes no decision beyond the recorded 'no fault'", async () => {
    const sim = new SimExecutor({ strategy: "fifo" });
    expect(await sim.run(draws(5, 0.5))).toEqual([]);
    expect(sim.decisions).toBe(5);
    expect(sim.faults).toEqual([]);
  });

  it("draws with the given probability from the seed, records each draw and replays it", async () => {
    const sim = new SimExecutor({ seed: 99 });
    const fired = await sim.run(draws(2000, 0.1));
    expect(fired.length).toBeGreaterThan(150);
    expect(fired.length).toBeLessThan(250);
    expect(sim.faults).toEqual(fired.map((i) => `p${i}`));
    expect(sim.decisions).toBe(2000);
    const again = SimExecutor.replay(sim.schedule);
    expect(await again.run(draws(2000, 0.1))).toEqual(fired);
    const other = new SimExecutor({ seed: 100 });
    expect(await other.run(draws(2000, 0.1))).not.toEqual(fired);
  });

  it("probability 0 never fires and 1 always does; neither is a decision", async () => {
    const sim = new SimExecutor({ seed: 1 });
    const fired = await sim.run(
      future(function* () {
        return [faultPoint("never", 0), faultPoint("always", 1)];
      }),
    );
    expect(fired).toEqual([false, true]);
    expect(sim.decisions).toBe(0);
    expect(sim.faults).toEqual(["always"]);
  });

  it("under a schedule of deviations fires exactly where a deviation says", async () => {
    const sim = new SimExecutor({ schedule: "w1d:3.0,7.5" });
    expect(await sim.run(draws(10, 0.001))).toEqual([3, 7]);
  });

  it("checks its arguments inside a simulation", async () => {
    await expect(
      new SimExecutor().run(
        future(function* () {
          faultPoint("", 0.5);
        }),
      ),
    ).rejects.toThrow(
      new TypeError('faultPoint(name, probability): name must be a non-empty string, got ""'),
    );
    await expect(
      new SimExecutor().run(
        future(function* () {
          faultPoint("db", 1.5);
        }),
      ),
    ).rejects.toThrow(
      new RangeError(
        'faultPoint("db", probability): probability must be a number in [0, 1], got 1.5',
      ),
    );
    await expect(
      new SimExecutor().run(
        future(function* () {
          faultPoint("db", Number.NaN);
        }),
      ),
    ).rejects.toThrow(RangeError);
  });

  it("fast-check shrinks a failure to the one fault that matters", async () => {
    // Ten fault points; the program breaks only when "p6" fires.
    const details = await fc.check(
      fc.asyncProperty(schedules(fc, { steps: 10 }), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        const fired = await sim.run(draws(10, 0.5));
        if (fired.includes(6)) throw new Error(`broken; faults: ${sim.faults.join(", ")}`);
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(details.failed).toBe(true);
    expect(String(details.counterexample?.[0])).toBe("w1d:6.0");
    expect((details.errorInstance as Error).message).toBe("broken; faults: p6");
  });
});
