/**
 * `sim.external(fn)`: when each call's result is delivered is a scheduling decision, recorded,
 * replayed and shrunk (issue 14).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimeoutError } from "../../src/combinators/errors.js";
import { join } from "../../src/combinators/join.js";
import { timeout } from "../../src/combinators/timeout.js";
import { future } from "../../src/core/async-block.js";
import { fromPromise } from "../../src/core/from-promise.js";
import type { Future } from "../../src/core/future.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { schedules } from "../../src/testing/schedules-arbitrary.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";

interface Api {
  balance(): Promise<number>;
  holds(): Promise<number[]>;
}

/**
 * The account page asks the ledger for the balance and the payments service for the holds at
 * the same time, and computes what is available as the holds come in. The bug: it assumes the
 * balance is already there when the holds arrive.
 */
function availableFunds(api: Api): Future<number> {
  return future(function* () {
    const view = { balance: Number.NaN, available: Number.NaN };
    yield* join(
      future(function* () {
        view.balance = yield* fromPromise(() => api.balance());
      }),
      future(function* () {
        const holds = yield* fromPromise(() => api.holds());
        view.available = view.balance - holds.reduce((a, b) => a + b, 0);
      }),
    );
    return view.available;
  });
}

const mocks = (sim: SimExecutor): Api => ({
  balance: sim.external(async () => 100, "ledger.balance"),
  holds: sim.external(async () => [30], "payments.holds"),
});

describe("sim.external(fn)", () => {
  it("plain mocked promises always answer in call order: no seed finds the bug", async () => {
    const plain: Api = { balance: async () => 100, holds: async () => [30] };
    for (let seed = 0; seed < 100; seed++) {
      expect(await new SimExecutor({ seed }).run(availableFunds(plain))).toBe(70);
    }
  });

  it("a seed loop finds the reply order that breaks it, and its schedule replays it", async () => {
    let failing: string | undefined;
    let passed = 0;
    for (let seed = 0; seed < 100; seed++) {
      const sim = new SimExecutor({ seed });
      const available = await sim.run(availableFunds(mocks(sim)));
      if (available === 70) passed++;
      else failing ??= sim.schedule;
    }
    expect(failing).toBeDefined();
    expect(passed).toBeGreaterThan(0); // seeds that deliver the balance first pass
    const replay = SimExecutor.replay(failing as string);
    expect(await replay.run(availableFunds(mocks(replay)))).toBeNaN();
    expect(replay.schedule).toBe(failing);
  });

  it("PCT gives replies priorities too, and finds the order", async () => {
    const results = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const sim = new SimExecutor({ strategy: "pct", seed, steps: 4 });
      const available = await sim.run(availableFunds(mocks(sim)));
      results.add(available);
      const replay = SimExecutor.replay(sim.schedule);
      expect(await replay.run(availableFunds(mocks(replay)))).toBe(available);
    }
    expect(results.has(70)).toBe(true);
    expect([...results].some(Number.isNaN)).toBe(true);
  });

  it("FIFO delivers in call order: the balance first", async () => {
    const sim = new SimExecutor({ strategy: "fifo" });
    expect(await sim.run(availableFunds(mocks(sim)))).toBe(70);
    // Which reply to deliver first; then whether the second comes before the page runs again.
    expect(sim.decisions).toBe(2);
  });

  it("fast-check finds it with schedules(fc) and shrinks it to one deviation", async () => {
    const details = await fc.check(
      fc.asyncProperty(schedules(fc), async (schedule) => {
        const sim = new SimExecutor({ schedule });
        expect(await sim.run(availableFunds(mocks(sim)))).toBe(70);
      }),
      { seed: 14, numRuns: 100 },
    );
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample ?? [];
    expect(String(shrunk)).toMatch(/^w1d:\d+\.\d+$/);
    const replay = SimExecutor.replay(String(shrunk));
    expect(await replay.run(availableFunds(mocks(replay)))).toBeNaN();
  });

  it("a reply can be delivered between two steps of another task", async () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const sim = new SimExecutor({ seed });
      const fetchFlag = sim.external(async () => true, "flags.get");
      const log: string[] = [];
      await sim.run(
        future(function* () {
          const reader = spawn(
            future(function* () {
              yield* fromPromise(() => fetchFlag());
              log.push("reply");
            }),
          );
          for (let i = 0; i < 3; i++) {
            log.push(`step ${i}`);
            yield* yieldNow();
          }
          yield* reader;
        }),
      );
      orders.add(log.join(" "));
    }
    // With a plain promise the reply could only come once the stepping task stalls.
    expect(orders).toContain("step 0 reply step 1 step 2");
    expect(orders).toContain("step 0 step 1 step 2 reply");
  });

  it("with no task ready, a reply races the timers: FIFO delivers first, a deviation lets time win", async () => {
    const program = (sim: SimExecutor) =>
      future(function* () {
        const slow = sim.external(async () => "reply", "slow");
        try {
          return yield* timeout(
            100,
            fromPromise(() => slow()),
          );
        } catch (error) {
          if (error instanceof TimeoutError) return `timed out at ${sim.now} ms`;
          throw error;
        }
      });
    const fifo = new SimExecutor({ strategy: "fifo" });
    expect(await fifo.run(program(fifo))).toBe("reply");
    expect(fifo.decisions).toBe(1); // deliver, or let time move
    const late = new SimExecutor({ schedule: "w1d:0.0" });
    expect(await late.run(program(late))).toBe("timed out at 100 ms");
  });

  it("hands over rejections and synchronous throws as rejections, at delivery", async () => {
    const sim = new SimExecutor({ strategy: "fifo" });
    const failing = sim.external(async () => {
      throw new Error("503");
    });
    const throwing = sim.external((): Promise<number> => {
      throw new Error("bad request");
    });
    const outcome = await sim.run(
      future(function* () {
        const errors: string[] = [];
        for (const call of [failing, throwing]) {
          try {
            yield* fromPromise(() => call());
          } catch (error) {
            errors.push((error as Error).message);
          }
        }
        return errors;
      }),
    );
    expect(outcome).toEqual(["503", "bad request"]);
  });

  it("waits for a call whose fn settles later, whatever the strategy chose", async () => {
    const sim = new SimExecutor({ seed: 3 });
    const later = sim.external(
      (x: number) => new Promise<number>((resolve) => setImmediate(() => resolve(x * 2))),
    );
    const values = await sim.run(
      future(function* () {
        return yield* join(
          fromPromise(() => later(1)),
          fromPromise(() => later(2)),
        );
      }),
    );
    expect(values).toEqual([2, 4]);
  });

  it("an aborted signal among the arguments withdraws the call from the choices", async () => {
    // The server never answers; the schedule lets time move first, so the timeout fires.
    const sim = new SimExecutor({ schedule: "w1d:0.0" });
    let aborted = 0;
    const fetchUser = sim.external(
      (id: number, signal: AbortSignal) =>
        new Promise<string>((resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted++;
            reject(signal.reason);
          });
          void resolve;
          void id;
        }),
      "fetchUser",
    );
    const result = await sim.run(
      future(function* () {
        try {
          yield* timeout(
            50,
            fromPromise((signal) => fetchUser(7, signal)),
          );
        } catch (error) {
          if (!(error instanceof TimeoutError)) throw error;
        }
        yield* yieldNow(); // a pending call would make this poll a decision
        return sim.decisions;
      }),
    );
    expect(aborted).toBe(1);
    // "Deliver or let time move", then "deliver or poll the woken root"; once the timeout has
    // dropped the call, the poll after yieldNow is no decision any more.
    expect(result).toBe(2);
  });

  it("is a plain pass-through once the run has ended", async () => {
    const sim = new SimExecutor();
    const double = sim.external(async (x: number) => x * 2);
    await sim.run(future(function* () {}));
    await expect(double(21)).resolves.toBe(42);
  });

  it("checks its arguments", () => {
    const sim = new SimExecutor();
    expect(() => sim.external(42 as never)).toThrow(
      new TypeError("SimExecutor.external(fn, name): fn must be a function"),
    );
    expect(() => sim.external(async () => 1, 7 as never)).toThrow(/name must be a string/);
  });
});
