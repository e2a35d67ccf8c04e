/**
 * The future behind `yieldNow()`, alone and inside an async block that releases it while
 * suspended (holding a shared stand-in instead).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { YieldOnce } from "../../src/core/yield-once.js";
import { captureUnhandled, countingContext } from "./helpers.js";

let unhandled: ReturnType<typeof captureUnhandled>;
beforeEach(() => {
  unhandled = captureUnhandled();
});
afterEach(() => {
  unhandled.restore();
});

describe("YieldOnce in an async block", () => {
  it("suspends the block once, waking it once, then resumes it with undefined", () => {
    const log: unknown[] = [];
    const block = future(function* () {
      log.push("before");
      log.push(yield* new YieldOnce());
      return "after";
    });
    const { cx, waker } = countingContext();
    expect(block.poll(cx)).toBe(Poll.pending);
    expect(waker.wakeCount).toBe(1);
    expect(block.describe()).toBe("yieldNow");
    const p = block.poll(cx);
    expect(Poll.isReady(p) && p.value).toBe("after");
    expect(log).toEqual(["before", undefined]);
    expect(waker.wakeCount).toBe(1);
  });

  it("releases the per-call future: it is finished as soon as the block holds the stand-in", () => {
    const y = new YieldOnce();
    const block = future(function* () {
      yield* y;
      return 1;
    });
    const { cx } = countingContext();
    expect(block.poll(cx)).toBe(Poll.pending);
    // The block no longer needs `y`; a stray poll of it is a poll after Ready.
    expect(() => y.poll(cx)).toThrow(PollAfterReadyError);
    const p = block.poll(cx);
    expect(Poll.isReady(p) && p.value).toBe(1);
  });

  it("a block awaiting a future that had already yielded is not suspended again", () => {
    const y = new YieldOnce();
    const { cx, waker } = countingContext();
    expect(y.poll(cx)).toBe(Poll.pending);
    const block = future(function* () {
      yield* y;
      return 2;
    });
    const p = block.poll(cx);
    expect(Poll.isReady(p) && p.value).toBe(2);
    expect(waker.wakeCount).toBe(1);
  });

  it("dropping a block suspended on it runs the block's finally once, with nothing reported", () => {
    let cleanups = 0;
    const block = future(function* () {
      try {
        yield* new YieldOnce();
        return "never";
      } finally {
        cleanups++;
      }
    });
    const { cx } = countingContext();
    expect(block.poll(cx)).toBe(Poll.pending);
    block.drop();
    expect(cleanups).toBe(1);
    expect(unhandled.errors).toEqual([]);
  });

  it("two blocks suspended on their own yields each resume exactly once", () => {
    const resumed: string[] = [];
    const make = (name: string) =>
      future(function* () {
        yield* new YieldOnce();
        resumed.push(name);
      });
    const a = make("a");
    const b = make("b");
    const { cx } = countingContext();
    expect(a.poll(cx)).toBe(Poll.pending);
    expect(b.poll(cx)).toBe(Poll.pending);
    expect(Poll.isReady(b.poll(cx))).toBe(true);
    expect(Poll.isReady(a.poll(cx))).toBe(true);
    expect(resumed).toEqual(["b", "a"]);
    expect(() => a.poll(cx)).toThrow(PollAfterReadyError);
  });
});
