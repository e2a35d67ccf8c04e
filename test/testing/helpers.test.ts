import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { Poll } from "../../src/core/poll.js";
import { pending, ready } from "../../src/core/poll-fn.js";
import { oneshot } from "../../src/sync/oneshot.js";
import { mockTask } from "../../src/testing/mock-task.js";
import { pendingOnce } from "../../src/testing/pending-once.js";
import { assertPending, assertReady } from "../../src/testing/poll-asserts.js";
import { countingWaker, noopContext } from "../../src/testing/wakers.js";

describe("countingWaker", () => {
  it("counts every wake and resets", () => {
    const w = countingWaker();
    expect(w.wakeCount).toBe(0);
    expect(w.isWoken).toBe(false);
    w.wake();
    w.wake();
    expect(w.wakeCount).toBe(2);
    expect(w.isWoken).toBe(true);
    expect(w.context.waker).toBe(w);
    expect(w.willWake(w)).toBe(true);
    expect(w.willWake(countingWaker())).toBe(false);
    w.reset();
    expect(w.wakeCount).toBe(0);
  });

  it("noopContext polls without effect", () => {
    expect(assertReady(ready(3).poll(noopContext()))).toBe(3);
    expect(noopContext()).toBe(noopContext());
  });
});

describe("mockTask", () => {
  it("tells whether the future was woken since the last poll", () => {
    const [tx, rx] = oneshot<number>();
    const task = mockTask(rx);
    assertPending(task.poll());
    expect(task.isWoken).toBe(false);
    tx.send(7);
    expect(task.isWoken).toBe(true);
    expect(task.wakeCount).toBe(1);
    expect(assertReady(task.poll())).toBe(7);
    expect(task.isWoken).toBe(false);
    expect(task.isDone).toBe(true);
    expect(task.polls).toBe(2);
    expect(() => task.poll()).toThrow(PollAfterReadyError);
  });

  it("drop() drops the future, running its cleanup once", () => {
    let cleaned = 0;
    const task = mockTask(
      future(function* () {
        try {
          yield* pending();
        } finally {
          cleaned++;
        }
      }),
    );
    assertPending(task.poll());
    task.drop();
    task[Symbol.dispose]();
    expect(cleaned).toBe(1);
    expect(task.isDone).toBe(true);
  });

  it("a future that throws ends the mock task", () => {
    const task = mockTask(
      future(function* () {
        throw new Error("bad");
      }),
    );
    expect(() => task.poll()).toThrow("bad");
    expect(task.isDone).toBe(true);
    expect(() => mockTask(42 as never)).toThrow(TypeError);
  });
});

describe("pendingOnce", () => {
  it("is Pending once, waking its waker, then delegates", () => {
    const w = countingWaker();
    const fut = pendingOnce(ready(5));
    expect(fut.poll(w.context)).toBe(Poll.pending);
    expect(w.wakeCount).toBe(1);
    expect(fut.poll(w.context)).toEqual({ value: 5 });
    expect(() => fut.poll(w.context)).toThrow(PollAfterReadyError);
  });

  it("without a future it is Ready with undefined on the second poll", () => {
    const task = mockTask(pendingOnce());
    assertPending(task.poll());
    expect(task.isWoken).toBe(true);
    expect(assertReady(task.poll())).toBeUndefined();
  });

  it("drops the inner future and describes what it waits on", () => {
    let dropped = 0;
    const inner = pending<number>();
    const original = inner.drop.bind(inner);
    inner.drop = () => {
      dropped++;
      original();
    };
    const fut = pendingOnce(inner);
    expect(fut.describe()).toBe("pendingOnce");
    fut.poll(noopContext());
    fut.poll(noopContext());
    expect(fut.describe()).toBe(inner.describe());
    fut.drop();
    fut.drop();
    expect(dropped).toBe(1);
    expect(() => pendingOnce(1 as never)).toThrow(TypeError);
  });
});

describe("assertReady / assertPending", () => {
  it("say what they expected", () => {
    expect(() => assertReady(Poll.pending, "recv")).toThrow(
      "expected recv to be Ready, but it is Pending",
    );
    expect(() => assertPending(Poll.ready({ a: 1 }))).toThrow(
      'expected poll to be Pending, but it is Ready with {"a":1}',
    );
    expect(() => assertReady(undefined as never)).toThrow(TypeError);
  });
});
