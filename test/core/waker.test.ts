import { describe, expect, it } from "vitest";
import { Waker } from "../../src/core/waker.js";

describe("Waker.from", () => {
  it("calls target.wake() on every wake()", () => {
    let n = 0;
    const w = Waker.from({ wake: () => void n++ });
    w.wake();
    w.wake();
    expect(n).toBe(2);
  });

  it("calls wake with the target as `this` (Wake objects may use methods)", () => {
    const target = {
      n: 0,
      wake() {
        this.n++;
      },
    };
    Waker.from(target).wake();
    expect(target.n).toBe(1);
  });

  it("two wakers from the same target willWake each other; different targets do not", () => {
    const t1 = { wake() {} };
    const t2 = { wake() {} };
    const a = Waker.from(t1);
    const b = Waker.from(t1);
    const c = Waker.from(t2);
    expect(a.willWake(a)).toBe(true);
    expect(a.willWake(b)).toBe(true);
    expect(b.willWake(a)).toBe(true);
    expect(a.willWake(c)).toBe(false);
    expect(a.willWake(Waker.noop())).toBe(false);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a number", 3],
    ["a function", () => {}],
    ["an object without wake", {}],
    ["an object whose wake is not a function", { wake: 1 }],
  ])("rejects %s with a TypeError naming the argument", (_label, bad) => {
    expect(() => Waker.from(bad as never)).toThrow(TypeError);
    expect(() => Waker.from(bad as never)).toThrow(/Waker\.from\(target\)/);
  });
});

describe("Waker.noop", () => {
  it("is one shared waker that does nothing", () => {
    const w = Waker.noop();
    expect(w).toBe(Waker.noop());
    expect(() => w.wake()).not.toThrow();
    expect(w.willWake(Waker.noop())).toBe(true);
    expect(w.willWake(Waker.from({ wake() {} }))).toBe(false);
  });
});
