import { describe, expect, it } from "vitest";
import type { Context } from "../../src/core/context.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { lazy, pending, pollFn, ready } from "../../src/core/poll-fn.js";
import { countingContext, noopCx } from "./helpers.js";

describe("pollFn", () => {
  it("calls f with the context on every poll until Ready", () => {
    const seen: Context[] = [];
    let n = 0;
    const f = pollFn((cx) => {
      seen.push(cx);
      return ++n < 3 ? Poll.pending : Poll.ready(n);
    });
    const a = countingContext();
    const b = countingContext();
    expect(f.poll(a.cx)).toBe(Poll.pending);
    expect(f.poll(b.cx)).toBe(Poll.pending);
    expect(f.poll(a.cx)).toEqual({ value: 3 });
    expect(seen).toEqual([a.cx, b.cx, a.cx]);
  });

  it("throws PollAfterReadyError when polled after Ready, without calling f", () => {
    let calls = 0;
    const f = pollFn(() => {
      calls++;
      return Poll.ready(1);
    });
    f.poll(noopCx);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(calls).toBe(1);
  });

  it("after drop, f is never called again", () => {
    let calls = 0;
    const f = pollFn(() => {
      calls++;
      return Poll.pending;
    });
    f.poll(noopCx);
    f.drop();
    f.drop();
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(calls).toBe(1);
  });

  it("an error thrown by f propagates out of poll", () => {
    const e = new Error("boom");
    const f = pollFn(() => {
      throw e;
    });
    expect(() => f.poll(noopCx)).toThrow(e);
  });

  it("validates its argument eagerly", () => {
    expect(() => pollFn(1 as never)).toThrow(new TypeError("pollFn(f): expected a function"));
  });
});

describe("ready", () => {
  it("is ready with the value on the first poll, then PollAfterReadyError", () => {
    const f = ready("v");
    expect(f.poll(noopCx)).toEqual({ value: "v" });
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(f.describe()).toBe("ready");
  });
});

describe("pending", () => {
  it("never completes and never wakes", () => {
    const f = pending<number>();
    const { cx, waker } = countingContext();
    for (let i = 0; i < 5; i++) expect(f.poll(cx)).toBe(Poll.pending);
    expect(waker.wakeCount).toBe(0);
    expect(f.describe()).toBe("pending()");
    expect(() => f.drop()).not.toThrow();
  });
});

describe("lazy", () => {
  it("does not call f until polled, then is ready with its result", () => {
    let calls = 0;
    const f = lazy(() => ++calls);
    expect(calls).toBe(0);
    expect(f.poll(noopCx)).toEqual({ value: 1 });
    expect(calls).toBe(1);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(calls).toBe(1);
  });

  it("throws f's error from poll", () => {
    const e = new Error("nope");
    expect(() =>
      lazy(() => {
        throw e;
      }).poll(noopCx),
    ).toThrow(e);
  });

  it("dropped before its poll, f never runs", () => {
    let calls = 0;
    const f = lazy(() => ++calls);
    f.drop();
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(calls).toBe(0);
  });

  it("`using` drops it at the end of the scope", () => {
    let calls = 0;
    let f: ReturnType<typeof lazy<number>>;
    {
      using g = lazy(() => ++calls);
      f = g;
    }
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(calls).toBe(0);
  });

  it("validates its argument eagerly", () => {
    expect(() => lazy("x" as never)).toThrow(TypeError);
  });
});
