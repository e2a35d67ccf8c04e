/**
 * `tasks()`'s parent, age and time since last poll (issue 14): read on the executor's clock,
 * stamped once per batch of polls.
 */
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { pending } from "../../src/core/poll-fn.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { SimExecutor } from "../../src/testing/sim-executor.js";
import { ManualClock } from "../../src/time/clock.js";
import { sleep } from "../../src/time/sleep.js";

describe("tasks(): parent, age, sinceLastPoll", () => {
  it("names the task whose poll spawned a task, and none for a spawn from outside", () => {
    const ex = new LocalExecutor({ manual: true, clock: new ManualClock() });
    let child: JoinHandle<void> | undefined;
    let grandchild: JoinHandle<unknown> | undefined;
    const parent = ex.spawn(
      future(function* () {
        child = spawn(
          future(function* () {
            grandchild = spawn(pending(), { name: "grandchild" });
            yield* pending();
          }),
          { name: "child" },
        );
        yield* pending();
      }),
      { name: "parent" },
    );
    ex.runUntilStalled();
    const byName = new Map(ex.tasks().map((t) => [t.name, t]));
    expect(byName.get("parent")?.parent).toBeUndefined();
    expect(byName.get("child")?.parent).toBe(parent.id);
    expect(byName.get("grandchild")?.parent).toBe(child?.id);
    expect(grandchild).toBeDefined();
  });

  it("ages and idle times follow the executor's clock, a poll resets the idle time", () => {
    const clock = new ManualClock();
    const ex = new LocalExecutor({ manual: true, clock });
    clock.advance(5);
    const a = ex.spawn(
      future(function* () {
        for (;;) yield* yieldNow();
      }),
    );
    const b = ex.spawn(pending());
    expect(ex.tasks().map((t) => [t.age, t.sinceLastPoll])).toEqual([
      [0, undefined],
      [0, undefined],
    ]);
    clock.advance(40);
    expect(ex.tasks().map((t) => [t.age, t.sinceLastPoll])).toEqual([
      [40, undefined],
      [40, undefined],
    ]);
    ex.tryRunOne(); // polls a at 45 (it yields: queued again)
    ex.tryRunOne(); // polls b at 45 (parked for good)
    clock.advance(100);
    ex.tryRunOne(); // polls a again at 145
    clock.advance(7);
    const [ta, tb] = ex.tasks();
    expect(ta?.id).toBe(a.id);
    expect([ta?.age, ta?.sinceLastPoll, ta?.polls]).toEqual([147, 7, 2]);
    expect(tb?.id).toBe(b.id);
    expect([tb?.age, tb?.sinceLastPoll, tb?.polls]).toEqual([147, 107, 1]);
  });

  it("under SimExecutor they are read on virtual time", async () => {
    const sim = new SimExecutor({ strategy: "fifo" });
    const dump = await sim.run(
      future(function* () {
        spawn(pending(), { name: "parked" });
        yield* sleep(1000);
        const h = spawn(pending(), { name: "late" });
        yield* sleep(250);
        void h;
        return sim.tasks();
      }),
    );
    const byName = new Map(dump.map((t) => [t.name, t]));
    expect(byName.get("root")).toMatchObject({ parent: undefined, age: 1250, sinceLastPoll: 0 });
    expect(byName.get("parked")).toMatchObject({ parent: 1, age: 1250, sinceLastPoll: 1250 });
    expect(byName.get("late")).toMatchObject({ parent: 1, age: 250, sinceLastPoll: 250 });
  });

  it("the report of a deadlock carries them too", async () => {
    const sim = new SimExecutor();
    const error = await sim
      .run(
        future(function* () {
          yield* sleep(30);
          yield* pending();
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e as { tasks: { age: number; sinceLastPoll: number }[] },
      );
    expect(error?.tasks.map((t) => [t.age, t.sinceLastPoll])).toEqual([[30, 0]]);
  });
});
