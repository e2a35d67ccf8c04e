import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { pollFn } from "../../src/core/poll-fn.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { countingWaker } from "../../src/testing/wakers.js";

describe("yieldNow", () => {
  it("is pending once after waking its waker, then ready, then PollAfterReadyError", () => {
    const f = yieldNow();
    const waker = countingWaker();
    const cx = waker.context;
    expect(f.poll(cx)).toBe(Poll.pending);
    expect(waker.wakeCount).toBe(1);
    const p = f.poll(cx);
    expect(Poll.isReady(p)).toBe(true);
    expect(waker.wakeCount).toBe(1);
    expect(() => f.poll(cx)).toThrow(PollAfterReadyError);
    expect(f.describe()).toBe("yieldNow");
  });

  it("re-queues the current task behind the tasks already ready", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    ex.spawn(
      future(function* () {
        log.push("a1");
        yield* yieldNow();
        log.push("a2");
      }),
    );
    for (const name of ["b", "c"]) {
      ex.spawn(
        pollFn(() => {
          log.push(name);
          return Poll.ready(undefined);
        }),
      );
    }
    ex.runUntilStalled();
    expect(log).toEqual(["a1", "b", "c", "a2"]);
  });

  it("two yielding tasks interleave round-robin", () => {
    const ex = new LocalExecutor({ manual: true });
    const log: string[] = [];
    for (const name of ["x", "y"]) {
      ex.spawn(
        future(function* () {
          for (let i = 0; i < 3; i++) {
            log.push(`${name}${i}`);
            yield* yieldNow();
          }
        }),
      );
    }
    ex.runUntilStalled();
    expect(log).toEqual(["x0", "y0", "x1", "y1", "x2", "y2"]);
  });
});
