import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { fromPromise } from "../../src/core/from-promise.js";
import type { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { pending, pollFn } from "../../src/core/poll-fn.js";
import { reportUnhandled } from "../../src/core/unhandled.js";
import { DeadlockError } from "../../src/executor/deadlock.js";
import { currentExecutor } from "../../src/executor/executor.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { LivelockError, ScheduleDivergenceError } from "../../src/testing/errors.js";
import { Schedule, scheduleData } from "../../src/testing/schedule.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { Instant } from "../../src/time/instant.js";
import { sleep } from "../../src/time/sleep.js";

/** `n` tasks that each log `name:step` for `steps` steps, yielding between steps. */
function workers(n: number, steps: number, log: string[]): Future<void> {
  return future(function* () {
    const handles = [];
    for (let w = 0; w < n; w++) {
      handles.push(
        spawn(
          future(function* () {
            for (let s = 0; s < steps; s++) {
              log.push(`${w}:${s}`);
              yield* yieldNow();
            }
          }),
          { name: `w${w}` },
        ),
      );
    }
    for (const h of handles) yield* h;
  });
}

describe("SimExecutor.run", () => {
  it("resolves with the root's value and rejects with its error", async () => {
    expect(
      await new SimExecutor().run(
        future(function* () {
          yield* yieldNow();
          return 42;
        }),
      ),
    ).toBe(42);
    const boom = new Error("boom");
    await expect(
      new SimExecutor().run(
        future(function* () {
          yield* yieldNow();
          throw boom;
        }),
      ),
    ).rejects.toBe(boom);
  });

  it("is the current executor while it polls", async () => {
    const sim = new SimExecutor();
    let seen: unknown;
    await sim.run(
      pollFn(() => {
        seen = currentExecutor();
        return Poll.ready(undefined);
      }),
    );
    expect(seen).toBe(sim);
  });

  it("runs one root per executor", async () => {
    const sim = new SimExecutor();
    await sim.run(yieldNow());
    await expect(sim.run(yieldNow())).rejects.toThrow(/runs one root future/);
    expect(() => sim.spawn(yieldNow())).toThrow(/has ended/);
  });

  it("drops leftover tasks when the root finishes, running their cleanup", async () => {
    const cleaned: string[] = [];
    const value = await new SimExecutor({ strategy: "fifo" }).run(
      future(function* () {
        spawn(
          future(function* () {
            try {
              yield* pending();
            } finally {
              cleaned.push("forever");
            }
          }),
        );
        yield* yieldNow();
        return "done";
      }),
    );
    expect(value).toBe("done");
    expect(cleaned).toEqual(["forever"]);
  });

  it("runs tasks spawned before run alongside the root", async () => {
    const sim = new SimExecutor({ strategy: "fifo" });
    const log: string[] = [];
    const early = sim.spawn(
      future(function* () {
        log.push("early");
        return 1;
      }),
    );
    const value = await sim.run(
      future(function* () {
        log.push("root");
        return (yield* early) + 1;
      }),
    );
    expect(value).toBe(2);
    expect(log).toEqual(["early", "root"]);
  });

  it("fifo polls ready tasks in the order they became ready", async () => {
    const log: string[] = [];
    const sim = new SimExecutor({ strategy: "fifo" });
    await sim.run(workers(3, 2, log));
    expect(log).toEqual(["0:0", "1:0", "2:0", "0:1", "1:1", "2:1"]);
    expect(sim.schedule).toMatch(/^w1:0/);
    expect(scheduleData(Schedule.parse(sim.schedule))?.choices?.every((c) => c === 0)).toBe(true);
  });

  it("validates its options eagerly", () => {
    expect(() => new SimExecutor({ strategy: "lifo" as never })).toThrow(RangeError);
    expect(() => new SimExecutor({ seed: 1.5 })).toThrow(/seed must be a safe integer/);
    expect(() => new SimExecutor({ depth: 0 })).toThrow(/depth must be a whole number >= 1/);
    expect(() => new SimExecutor({ maxSteps: -1 })).toThrow(/maxSteps/);
    expect(() => new SimExecutor({ schedule: "nope" })).toThrow(/Schedule.parse/);
    expect(() => new SimExecutor({ onUnhandledError: 1 as never })).toThrow(TypeError);
    expect(() => SimExecutor.replay(3 as never)).toThrow(TypeError);
    expect(() => new SimExecutor().spawn(Promise.resolve() as never)).toThrow(TypeError);
  });
});

describe("seeds and schedules", () => {
  it("the same seed gives the same schedule and trace; other seeds explore others", async () => {
    const traces = new Set<string>();
    for (const strategy of ["random", "pct"] as const) {
      for (let seed = 0; seed < 20; seed++) {
        const a: string[] = [];
        const b: string[] = [];
        const simA = new SimExecutor({ strategy, seed });
        const simB = new SimExecutor({ strategy, seed });
        await simA.run(workers(3, 3, a));
        await simB.run(workers(3, 3, b));
        expect(b).toEqual(a);
        expect(simB.schedule).toBe(simA.schedule);
        traces.add(a.join(" "));
      }
    }
    expect(traces.size).toBeGreaterThan(10);
  });

  it("replaying a recorded schedule reproduces the exact trace", async () => {
    for (let seed = 0; seed < 10; seed++) {
      const original: string[] = [];
      const sim = new SimExecutor({ seed });
      await sim.run(workers(4, 3, original));
      const replayed: string[] = [];
      const replay = SimExecutor.replay(sim.schedule);
      await replay.run(workers(4, 3, replayed));
      expect(replayed).toEqual(original);
      expect(replay.schedule).toBe(sim.schedule);
    }
  });

  it("a replay of a different program fails with ScheduleDivergenceError", async () => {
    const sim = new SimExecutor({ seed: 5 });
    await sim.run(workers(3, 3, []));
    // More decisions than recorded.
    await expect(SimExecutor.replay(sim.schedule).run(workers(3, 5, []))).rejects.toThrow(
      ScheduleDivergenceError,
    );
    // Fewer decisions than recorded.
    await expect(SimExecutor.replay(sim.schedule).run(workers(3, 2, []))).rejects.toThrow(
      /the run ended after \d+ decisions, but the schedule holds/,
    );
    // Same number of decisions among different numbers of ready tasks: the checksum catches it.
    const text = sim.schedule;
    const tampered = `${text.slice(0, -4)}${text.endsWith("0000") ? "0001" : "0000"}`;
    await expect(SimExecutor.replay(tampered).run(workers(3, 3, []))).rejects.toThrow(
      /checksum differs/,
    );
    await expect(SimExecutor.replay(text).run(workers(3, 3, []))).resolves.toBeUndefined();
  });

  it("a deviation schedule is lenient and replays the same way twice", async () => {
    const a: string[] = [];
    const b: string[] = [];
    await new SimExecutor({ schedule: "w1d:0.0,3.1" }).run(workers(3, 2, a));
    await new SimExecutor({ schedule: Schedule.parse("w1d:0.0,3.1") }).run(workers(3, 2, b));
    expect(a).toEqual(b);
    expect(a).not.toEqual(["0:0", "1:0", "2:0", "0:1", "1:1", "2:1"]);
    // Far-away deviations are ignored.
    const c: string[] = [];
    await new SimExecutor({ schedule: "w1d:9999.3" }).run(workers(3, 2, c));
    expect(c).toEqual(["0:0", "1:0", "2:0", "0:1", "1:1", "2:1"]);
  });

  it("random() draws are decisions: recorded and replayed", async () => {
    const program = () =>
      future(function* () {
        const ex = currentExecutor() as SimExecutor;
        const draws: number[] = [];
        for (let i = 0; i < 8; i++) {
          draws.push(ex.random());
          yield* yieldNow();
        }
        return draws;
      });
    const sim = new SimExecutor({ seed: 11 });
    const draws = await sim.run(program());
    expect(new Set(draws).size).toBeGreaterThan(2);
    for (const d of draws) expect(d >= 0 && d < 1).toBe(true);
    expect(sim.decisions).toBe(8);
    expect(await SimExecutor.replay(sim.schedule).run(program())).toEqual(draws);
    expect(await new SimExecutor({ strategy: "fifo" }).run(program())).toEqual(
      Array(8).fill(1 / 64),
    );
  });
});

describe("virtual time", () => {
  it("an hour of sleeps takes no real time: Instant reads virtual time", async () => {
    const sim = new SimExecutor({ seed: 3 });
    const elapsed = await sim.run(
      future(function* () {
        const t0 = Instant.now();
        for (let i = 0; i < 3600; i++) yield* sleep(1000);
        return Instant.now().since(t0);
      }),
    );
    expect(elapsed).toBe(3_600_000);
    expect(sim.now).toBe(3_600_000);
  });

  it("never advances while a task is ready", async () => {
    for (let seed = 0; seed < 10; seed++) {
      const sim = new SimExecutor({ seed });
      const stamps: number[][] = [];
      await sim.run(
        future(function* () {
          const hs = [0, 1, 2].map((w) =>
            spawn(
              future(function* () {
                const seen: number[] = [];
                for (let i = 0; i < 5; i++) {
                  seen.push(Instant.now().ms);
                  yield* yieldNow(); // stays ready: time must not move
                  seen.push(Instant.now().ms);
                  yield* sleep(10 * (w + 1));
                }
                stamps.push(seen);
              }),
            ),
          );
          for (const h of hs) yield* h;
        }),
      );
      for (const seen of stamps) {
        for (let i = 0; i < seen.length; i += 2) expect(seen[i + 1]).toBe(seen[i]);
      }
      expect(sim.now).toBe(150);
    }
  });

  it("fires timers in deadline order", async () => {
    const order: number[] = [];
    await new SimExecutor({ seed: 1 }).run(
      future(function* () {
        const hs = [30, 10, 20].map((ms) =>
          spawn(
            future(function* () {
              yield* sleep(ms);
              order.push(ms);
            }),
          ),
        );
        for (const h of hs) yield* h;
      }),
    );
    expect(order).toEqual([10, 20, 30]);
  });
});

describe("deadlock and livelock", () => {
  it("reports a deadlock naming each stuck task and what it waits on", async () => {
    const sim = new SimExecutor({ strategy: "fifo" });
    const error = await sim
      .run(
        future(function* () {
          const a = spawn(pending<void>(), { name: "stuck-a" });
          spawn(
            future(function* () {
              yield* a;
            }),
            { name: "waits-for-a" },
          );
          yield* yieldNow();
          yield* a;
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DeadlockError);
    const d = error as DeadlockError;
    expect(d.tasks.map((t) => t.name)).toEqual(["root", "stuck-a", "waits-for-a"]);
    expect(d.tasks.map((t) => t.state)).toEqual(["idle", "idle", "idle"]);
    expect(d.message).toMatch(/3 tasks wait and nothing can wake them/);
    expect(d.message).toMatch(/#1 \(root\) waits on JoinHandle\(#2 \(stuck-a\)\)/);
    expect(d.message).toMatch(/#2 \(stuck-a\) waits on pending/);
    expect(d.message).toMatch(/#3 \(waits-for-a\) waits on JoinHandle\(#2 \(stuck-a\)\)/);
    expect(d.schedule).toMatch(/^w1:/);
  });

  it("drops the stuck tasks after a deadlock, running their cleanup", async () => {
    let cleaned = 0;
    await expect(
      new SimExecutor().run(
        future(function* () {
          try {
            yield* pending();
          } finally {
            cleaned++;
          }
        }),
      ),
    ).rejects.toThrow(DeadlockError);
    expect(cleaned).toBe(1);
  });

  it("waits for outside work instead of reporting a deadlock", async () => {
    let release: (v: number) => void = () => {};
    const gate = new Promise<number>((r) => {
      release = r;
    });
    const sim = new SimExecutor();
    const result = sim.run(
      future(function* () {
        return (yield* fromPromise(() => gate)) * 2;
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    release(21);
    expect(await result).toBe(42);
  });

  it("outside work settled within the host turn beats a virtual timer", async () => {
    const sim = new SimExecutor();
    const winner = await sim.run(
      future(function* () {
        const timer = spawn(
          future(function* () {
            yield* sleep(1000);
            return "timer";
          }),
        );
        const value = yield* fromPromise(() => Promise.resolve().then(() => "promise"));
        const when = Instant.now().ms;
        timer.abort();
        return `${value}@${when}`;
      }),
    );
    expect(winner).toBe("promise@0");
  });

  it("reports a deadlock, not a hang, after a thenable whose then() throws", async () => {
    const boom = new Error("then() threw");
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
      then() {
        throw boom;
      },
    };
    const seen: unknown[] = [];
    const run = new SimExecutor({ onUnhandledError: (e) => seen.push(e) }).run(
      future(function* () {
        spawn(
          fromPromise(() => thenable),
          { name: "bad-thenable" },
        ).drop();
        try {
          yield* fromPromise(() => thenable);
        } catch (error) {
          seen.push(error);
        }
        yield* pending();
      }),
    );
    // Before the fix the outside-work count stayed open and the run waited forever.
    const outcome = await Promise.race([
      run.then(
        () => "resolved",
        (e: unknown) => e,
      ),
      new Promise((resolve) => setTimeout(() => resolve("still waiting after 2 s"), 2000)),
    ]);
    expect(outcome).toBeInstanceOf(DeadlockError);
    expect((outcome as DeadlockError).message).toMatch(/#1 \(root\) waits on pending/);
    expect(seen).toEqual([boom, boom]);
  });

  it("reports a deadlock after a promise factory that throws", async () => {
    const boom = new Error("factory threw");
    await expect(
      new SimExecutor().run(
        future(function* () {
          try {
            yield* fromPromise((): Promise<number> => {
              throw boom;
            });
          } catch {}
          yield* pending();
        }),
      ),
    ).rejects.toThrow(DeadlockError);
  });

  it("reports a livelock with the schedule so far", async () => {
    const sim = new SimExecutor({ maxSteps: 500 });
    const error = await sim
      .run(
        future(function* () {
          spawn(
            future(function* () {
              for (;;) yield* yieldNow();
            }),
          );
          for (;;) yield* yieldNow();
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(LivelockError);
    expect((error as LivelockError).message).toMatch(/maxSteps = 500/);
    expect((error as LivelockError).schedule).toBe(sim.schedule);
    expect(sim.polls).toBe(500);
  });
});

describe("unhandled errors", () => {
  it("rejects run with a detached task's failure by default", async () => {
    const lost = new Error("lost");
    await expect(
      new SimExecutor().run(
        future(function* () {
          spawn(
            future(function* () {
              yield* yieldNow();
              throw lost;
            }),
          ).drop();
          yield* sleep(10);
          return "root ok";
        }),
      ),
    ).rejects.toBe(lost);
  });

  it("reports an error nobody awaited, and errors raised while dropping", async () => {
    const seen: [string | undefined, unknown][] = [];
    const value = await new SimExecutor({
      strategy: "fifo",
      onUnhandledError: (e, task) => seen.push([task?.name, e]),
    }).run(
      future(function* () {
        spawn(
          future(function* () {
            throw new Error("never awaited");
          }),
          { name: "quiet" },
        );
        spawn(
          future(function* () {
            try {
              yield* pending();
            } finally {
              reportUnhandled(new Error("cleanup failed"));
            }
          }),
          { name: "leftover" },
        );
        yield* yieldNow();
        yield* yieldNow();
        return 1;
      }),
    );
    expect(value).toBe(1);
    expect(seen.map(([name, e]) => `${name}: ${(e as Error).message}`).sort()).toEqual([
      "leftover: cleanup failed",
      "quiet: never awaited",
    ]);
  });

  it("combines the root's failure with unhandled ones in an AggregateError", async () => {
    const error = await new SimExecutor({ strategy: "fifo" })
      .run(
        future(function* () {
          spawn(
            future(function* () {
              throw new Error("side");
            }),
          ).drop();
          yield* yieldNow();
          throw new Error("root");
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(["root", "side"]);
  });
});
