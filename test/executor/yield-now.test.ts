import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { pollFn } from "../../src/core/poll-fn.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { spawn } from "../../src/executor/spawn.js";
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

  // Under a running executor (not stepped by hand), a task that yields while nothing else is
  // ready goes on at once instead of a round trip through the ready queue (task.ts
  // `yieldInPlace`). What other tasks and the host see must not change: the tests below.
  describe("going on at once when nothing else is ready", () => {
    it("two yielding tasks still interleave round-robin under run()", async () => {
      const log: string[] = [];
      await new LocalExecutor().run(
        future(function* () {
          const handles = ["x", "y"].map((name) =>
            spawn(
              future(function* () {
                for (let i = 0; i < 3; i++) {
                  log.push(`${name}${i}`);
                  yield* yieldNow();
                }
              }),
            ),
          );
          for (const h of handles) yield* h;
        }),
      );
      expect(log).toEqual(["x0", "y0", "x1", "y1", "x2", "y2"]);
    });

    it("a task woken during the yielding poll runs before the yielder goes on", async () => {
      const log: string[] = [];
      await new LocalExecutor().run(
        future(function* () {
          const other = spawn(
            future(function* () {
              log.push("other");
            }),
          );
          log.push("root yields");
          yield* yieldNow(); // `other` is ready: the root must queue behind it
          log.push("root goes on");
          yield* other;
        }),
      );
      expect(log).toEqual(["root yields", "other", "root goes on"]);
    });

    it("each yield still counts as a poll of the task", async () => {
      const ex = new LocalExecutor();
      const polls = await ex.run(
        future(function* () {
          for (let i = 0; i < 10; i++) yield* yieldNow();
          return ex.tasks()[0]?.polls;
        }),
      );
      expect(polls).toBe(11);
    });

    it("a task aborted during the poll that yields does not go on: its cleanup runs", async () => {
      const log: string[] = [];
      await new LocalExecutor().run(
        future(function* () {
          const self: { handle?: { abort(): void } } = {};
          const h = spawn(
            future(function* () {
              try {
                self.handle?.abort();
                yield* yieldNow();
                log.push("went on");
              } finally {
                log.push("dropped");
              }
            }),
          );
          self.handle = h;
          try {
            yield* h;
          } catch {
            log.push("join: cancelled");
          }
        }),
      );
      expect(log).toEqual(["dropped", "join: cancelled"]);
    });

    it("a nested block's yield still goes through the queue (its parent may poll others)", async () => {
      const ex = new LocalExecutor();
      const polls = await ex.run(
        future(function* () {
          const inner = future(function* () {
            for (let i = 0; i < 5; i++) yield* yieldNow();
          });
          yield* inner;
          return ex.tasks()[0]?.polls;
        }),
      );
      expect(polls).toBe(6);
    });
  });
});
