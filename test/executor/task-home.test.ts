/**
 * Tasks spawned together share one home (task.ts `TaskHome`: scheduler, inherited scope, parent,
 * spawn time). What each task shows and inherits must stay its own when spawns of different
 * parents, scopes and batches interleave.
 */
import { describe, expect, it } from "vitest";
import { future, LocalExecutor, pending, spawn, TaskLocal, yieldNow } from "../../src/index.js";

describe("tasks spawned together share a home, and stay themselves", () => {
  it("spawns of two parents interleaved in one batch: each task names its own parent", () => {
    const ex = new LocalExecutor({ manual: true });
    const parked = () => pending();
    const a = ex.spawn(
      future(function* () {
        for (let i = 0; i < 3; i++) spawn(parked(), { name: `a${i}` });
        yield* yieldNow(); // b runs in between, in the same batch
        spawn(parked(), { name: "a-later" });
        yield* pending();
      }),
      { name: "a" },
    );
    const b = ex.spawn(
      future(function* () {
        spawn(parked(), { name: "b0" });
        yield* pending();
      }),
      { name: "b" },
    );
    ex.runUntilStalled(); // one batch: a, b, the parked ones, a again
    const parent = new Map(ex.tasks().map((t) => [t.name, t.parent]));
    expect([...parent]).toEqual([
      ["a", undefined],
      ["b", undefined],
      ["a0", a.id],
      ["a1", a.id],
      ["a2", a.id],
      ["b0", b.id],
      ["a-later", a.id],
    ]);
    ex.shutdown();
  });

  it("spawns from one task under different task-local scopes inherit each their own value", async () => {
    const id = new TaskLocal<string>("id");
    const seen: string[] = [];
    const child = (label: string) =>
      future(function* () {
        yield* yieldNow();
        seen.push(`${label}:${id.tryGet() ?? "none"}`);
      });
    await new LocalExecutor().run(
      future(function* () {
        const first = spawn(child("first"));
        const second = yield* id.scope(
          "x",
          future(function* () {
            return spawn(child("second"));
          }),
        );
        const third = spawn(child("third"));
        yield* first;
        yield* second;
        yield* third;
      }),
    );
    expect(seen.sort()).toEqual(["first:none", "second:x", "third:none"]);
  });
});
