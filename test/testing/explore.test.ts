/**
 * `explore(program, options)`: exhaustive depth-first exploration with partial-order pruning,
 * checked on programs whose number of schedules is known in closed form (issue 14).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { join } from "../../src/combinators/join.js";
import { future } from "../../src/core/async-block.js";
import { fromPromise } from "../../src/core/from-promise.js";
import { DeadlockError } from "../../src/executor/deadlock.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Mutex } from "../../src/sync/mutex.js";
import { Notify } from "../../src/sync/notify.js";
import { explore } from "../../src/testing/explore.js";
import { faultPoint } from "../../src/testing/fault-point.js";
import { shared } from "../../src/testing/shared.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * The root spawns `b`, yields once, then makes `k` steps; `b` makes `m` steps; a step is
 * `touch(task)` and, but for the last, a `yieldNow()`. The root then joins `b`. After the
 * root's first poll, both tasks are ready until their last step: the schedules are the
 * C(k + m, k) interleavings of their steps.
 */
function twoTasks(k: number, m: number, touch: (task: "a" | "b") => void) {
  return () =>
    future(function* () {
      const b = spawn(
        future(function* () {
          for (let i = 0; i < m; i++) {
            touch("b");
            if (i < m - 1) yield* yieldNow();
          }
        }),
      );
      yield* yieldNow();
      for (let i = 0; i < k; i++) {
        touch("a");
        if (i < k - 1) yield* yieldNow();
      }
      yield* b;
    });
}

/** Interleavings of `k + 1` root steps (the first one first) and `m` steps of b with at most `p` preemptions. */
function boundedCount(k: number, m: number, p: number): number {
  let total = 0;
  for (let runs = 2; runs <= p + 2; runs++) {
    total += binomial(k, Math.ceil(runs / 2) - 1) * binomial(m - 1, Math.floor(runs / 2) - 1);
  }
  return total;
}

const sizes: [number, number][] = [
  [1, 1],
  [2, 3],
  [3, 3],
  [4, 2],
  [5, 4],
];

describe("explore: known schedule counts", () => {
  it.each(sizes)("sharing any: k=%i, m=%i runs all C(k+m, k) interleavings", async (k, m) => {
    const result = await explore(twoTasks(k, m, () => {}));
    expect(result).toEqual({
      schedules: binomial(k + m, k),
      pruned: 0,
      exhausted: true,
      failure: undefined,
    });
  });

  it.each(sizes)("sharing cells, no shared state: k=%i, m=%i runs one schedule", async (k, m) => {
    const result = await explore(
      twoTasks(k, m, () => {}),
      { sharing: "cells" },
    );
    expect(result.schedules).toBe(1);
    expect(result.exhausted).toBe(true);
  });

  it.each(sizes)(
    "sharing cells, one cell written at every step: k=%i, m=%i runs C(k+m, k)",
    async (k, m) => {
      const result = await explore(
        () => {
          const cell = shared(0);
          return twoTasks(k, m, () => cell.update((n) => n + 1))();
        },
        { sharing: "cells" },
      );
      expect(result.schedules).toBe(binomial(k + m, k));
      expect(result.exhausted).toBe(true);
    },
  );

  it.each(sizes)(
    "sharing cells, each task its own cell: k=%i, m=%i runs one schedule",
    async (k, m) => {
      const result = await explore(
        () => {
          const cells = { a: shared(0), b: shared(0) };
          return twoTasks(k, m, (task) => cells[task].update((n) => n + 1))();
        },
        { sharing: "cells" },
      );
      expect(result.schedules).toBe(1);
    },
  );

  it("sharing cells, both tasks only read one cell: one schedule", async () => {
    const result = await explore(
      () => {
        const cell = shared(7);
        return twoTasks(4, 4, () => cell.get())();
      },
      { sharing: "cells" },
    );
    expect(result.schedules).toBe(1);
  });

  it("sharing cells, only the last steps conflict: the orders of those two", async () => {
    const result = await explore(
      () => {
        const cell = shared(0);
        let steps = { a: 0, b: 0 };
        steps = { a: 0, b: 0 };
        return twoTasks(3, 3, (task) => {
          if (++steps[task] === 3) cell.update((n) => n + 1);
        })();
      },
      { sharing: "cells" },
    );
    expect(result.schedules).toBe(2);
  });

  it.each([
    [3, 3, 0],
    [3, 3, 1],
    [3, 3, 2],
    [4, 3, 1],
    [5, 4, 2],
  ])("preemptionBound: k=%i, m=%i, bound %i runs the closed-form count", async (k, m, p) => {
    const result = await explore(
      twoTasks(k, m, () => {}),
      { preemptionBound: p },
    );
    expect(result.schedules).toBe(boundedCount(k, m, p));
    expect(result.exhausted).toBe(true);
    expect(boundedCount(k, m, 1000)).toBe(binomial(k + m, k));
  });

  it("maxSchedules stops early and says so", async () => {
    const result = await explore(
      twoTasks(5, 5, () => {}),
      { maxSchedules: 10 },
    );
    expect(result).toEqual({ schedules: 10, pruned: 0, exhausted: false, failure: undefined });
  });
});

/** Two tasks increment a counter with a read, a yield, then a write. */
function lostUpdate(locked: boolean) {
  return () =>
    future(function* () {
      const counter = new Mutex(0);
      let plain = 0;
      const increment = () =>
        future(function* () {
          if (locked) {
            using guard = yield* counter.lock();
            const seen = guard.value;
            yield* yieldNow();
            guard.value = seen + 1;
          } else {
            const seen = plain;
            yield* yieldNow();
            plain = seen + 1;
          }
        });
      const a = spawn(increment());
      const b = spawn(increment());
      yield* a;
      yield* b;
      const total = locked ? (yield* counter.lock()).value : plain;
      if (total !== 2) throw new Error(`lost update: ${total}`);
    });
}

describe("explore: finding bugs", () => {
  it("finds a lost update and reports a schedule that replays it", async () => {
    const result = await explore(lostUpdate(false));
    expect(result.failure?.error).toEqual(new Error("lost update: 1"));
    const replay = SimExecutor.replay(result.failure?.schedule as string);
    await expect(replay.run(lostUpdate(false)())).rejects.toThrow("lost update: 1");
  });

  it("the Mutex version passes every schedule", async () => {
    const result = await explore(lostUpdate(true));
    expect(result.failure).toBeUndefined();
    expect(result.exhausted).toBe(true);
    expect(result.schedules).toBeGreaterThan(1);
  });

  it("finds a lost update on a shared cell with reduction on", async () => {
    const result = await explore(
      () =>
        future(function* () {
          const balance = shared(0);
          const deposit = (amount: number) =>
            future(function* () {
              const seen = balance.get();
              yield* yieldNow();
              balance.set(seen + amount);
            });
          const a = spawn(deposit(10));
          const b = spawn(deposit(20));
          yield* a;
          yield* b;
          if (balance.get() !== 30) throw new Error(`balance ${balance.get()}`);
        }),
      { sharing: "cells" },
    );
    expect(String(result.failure?.error)).toMatch(/balance (10|20)/);
  });

  it("finds the reply order of two sim.external calls that breaks a page", async () => {
    const result = await explore((sim) => {
      const balance = sim.external(async () => 100, "balance");
      const holds = sim.external(async () => 30, "holds");
      return future(function* () {
        const view = { balance: Number.NaN, available: Number.NaN };
        yield* join(
          future(function* () {
            view.balance = yield* fromPromise(() => balance());
          }),
          future(function* () {
            view.available = view.balance - (yield* fromPromise(() => holds()));
          }),
        );
        if (Number.isNaN(view.available)) throw new Error("holds arrived first");
      });
    });
    expect(result.failure?.error).toEqual(new Error("holds arrived first"));
    const replay = SimExecutor.replay(result.failure?.schedule as string);
    const balance = replay.external(async () => 100, "balance");
    const holds = replay.external(async () => 30, "holds");
    await expect(
      replay.run(
        future(function* () {
          const view = { balance: Number.NaN, available: Number.NaN };
          yield* join(
            future(function* () {
              view.balance = yield* fromPromise(() => balance());
            }),
            future(function* () {
              view.available = view.balance - (yield* fromPromise(() => holds()));
            }),
          );
          if (Number.isNaN(view.available)) throw new Error("holds arrived first");
        }),
      ),
    ).rejects.toThrow("holds arrived first");
  });

  it("tries both outcomes of every fault point, and names the faults of the failure", async () => {
    const result = await explore(() =>
      future(function* () {
        const a = faultPoint("cache.miss", 0.01);
        const b = faultPoint("db.timeout", 0.01);
        if (b && !a) throw new Error("timeout with a warm cache");
      }),
    );
    expect(result.schedules).toBe(2); // (no, no), then (no, yes) fails
    expect(result.failure?.faults).toEqual(["db.timeout"]);
  });

  it("reports a deadlock as a failure", async () => {
    const result = await explore(() =>
      future(function* () {
        const notify = new Notify();
        const a = spawn(
          future(function* () {
            yield* notify.notified(); // created on a's first poll: too late if root notified first
          }),
        );
        yield* yieldNow();
        notify.notifyWaiters();
        yield* a;
      }),
    );
    expect(result.failure?.error).toBeInstanceOf(DeadlockError);
  });

  it("says so when the program is not deterministic", async () => {
    let runs = 0;
    await expect(
      explore(() =>
        future(function* () {
          const tasks = ++runs === 1 ? 2 : 3;
          const handles = [];
          for (let i = 0; i < tasks; i++) handles.push(spawn(yieldNow()));
          for (const h of handles) yield* h;
        }),
      ),
    ).rejects.toThrow(/explore: the program is not deterministic/);
  });

  it("checks its arguments", async () => {
    await expect(explore(42 as never)).rejects.toThrow(TypeError);
    await expect(explore(() => yieldNow(), { preemptionBound: -1 })).rejects.toThrow(
      "explore(program, options): preemptionBound must be a whole number in [0, Infinity], got -1",
    );
    await expect(explore(() => yieldNow(), { sharing: "some" as never })).rejects.toThrow(
      RangeError,
    );
    await expect(explore(() => yieldNow(), { drawLevels: 33 })).rejects.toThrow(RangeError);
  });
});

describe("explore: the reduction loses no outcome", () => {
  type Op = { kind: "read" | "write" | "local"; cell: number; value: number };
  const op = fc.record({
    kind: fc.constantFrom<Op["kind"]>("read", "write", "local"),
    cell: fc.nat({ max: 1 }),
    value: fc.nat({ max: 3 }),
  });
  const programs = fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), {
    minLength: 2,
    maxLength: 3,
  });

  /** The tasks run their ops (a yield between two); the outcome is what was read, and the end state. */
  const build = (tasks: Op[][], outcomes: Set<string>) => () =>
    future(function* () {
      const cells = [shared(0), shared(0)];
      const reads: number[][] = tasks.map(() => []);
      const handles = tasks.map((ops, t) =>
        spawn(
          future(function* () {
            for (let i = 0; i < ops.length; i++) {
              const { kind, cell, value } = ops[i] as Op;
              const c = cells[cell] as ReturnType<typeof shared<number>>;
              if (kind === "read") reads[t]?.push(c.get());
              else if (kind === "write") c.set(value);
              if (i < ops.length - 1) yield* yieldNow();
            }
          }),
        ),
      );
      for (const h of handles) yield* h;
      outcomes.add(JSON.stringify([reads, cells.map((c) => c.get())]));
    });

  it("sharing cells reaches every outcome that sharing any reaches, with fewer runs", async () => {
    await fc.assert(
      fc.asyncProperty(programs, async (tasks) => {
        const all = new Set<string>();
        const reduced = new Set<string>();
        const full = await explore(build(tasks, all));
        const pruned = await explore(build(tasks, reduced), { sharing: "cells" });
        expect(full.exhausted && pruned.exhausted).toBe(true);
        expect([...reduced].sort()).toEqual([...all].sort());
        expect(pruned.schedules).toBeLessThanOrEqual(full.schedules);
      }),
      { seed: 14, numRuns: 40 },
    );
  });
});
