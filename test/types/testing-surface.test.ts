/**
 * Type-level tests of `wakeful/testing`'s sealed surface, checked by `tsc --noEmit`: the
 * `@ts-expect-error` lines fail the type-check if an internal member becomes visible again.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { ready } from "../../src/index.js";
import { MockTask, mockTask, Schedule, type SimExecutor } from "../../src/testing.js";

describe("wakeful/testing types", () => {
  it("a Schedule shows its kind and text, not its decisions", () => {
    const s = Schedule.parse("w1:0110.0000");
    expectTypeOf(s.kind).toEqualTypeOf<"trace" | "deviations">();
    // @ts-expect-error the recorded choices are internal
    void s.choices;
    // @ts-expect-error the checksum is internal
    void s.checksum;
    // @ts-expect-error the deviation list is internal
    void Schedule.fromDeviations([[1, 0]]).deviations;
    // @ts-expect-error traces are made by SimExecutor, not by hand
    void Schedule.trace;
    // At run time too, a schedule carries no readable fields.
    expect(Object.keys(s)).toEqual([]);
    expect(Object.getOwnPropertyNames(Schedule).sort()).toEqual(
      ["fromDeviations", "length", "name", "parse", "prototype"].sort(),
    );
  });

  it("a MockTask is made by mockTask(), which checks its argument", () => {
    expectTypeOf(mockTask(ready(1))).toEqualTypeOf<MockTask<number>>();
    // @ts-expect-error the constructor skips the argument check of mockTask()
    void (() => new MockTask(ready(1)));
  });

  it("SimExecutor shows its documented API only", () => {
    expectTypeOf<keyof SimExecutor>().toEqualTypeOf<
      | "schedule"
      | "now"
      | "polls"
      | "decisions"
      | "spawn"
      | "run"
      | "random"
      | "tasks"
      | "faults"
      | "external"
      | "trace"
    >();
  });
});
