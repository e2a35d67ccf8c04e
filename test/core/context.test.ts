import { describe, expect, it } from "vitest";
import { Context } from "../../src/core/context.js";
import { Waker } from "../../src/core/waker.js";

describe("Context", () => {
  it("Context.from carries the given waker", () => {
    const w = Waker.from({ wake() {} });
    const cx = Context.from(w);
    expect(cx).toBeInstanceOf(Context);
    expect(cx.waker).toBe(w);
  });

  it("accepts any object implementing the Waker interface (executors' own task objects)", () => {
    const task = { wake() {}, willWake: (o: Waker) => o === task };
    expect(Context.from(task).waker).toBe(task);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "waker"],
    ["an object without wake", { willWake() {} }],
  ])("rejects %s with a TypeError naming the argument", (_label, bad) => {
    expect(() => Context.from(bad as never)).toThrow(TypeError);
    expect(() => Context.from(bad as never)).toThrow(/Context\.from\(waker\)/);
  });
});
