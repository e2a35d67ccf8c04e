import { afterEach, describe, expect, it } from "vitest";
import {
  AbortedError,
  AbortHandle,
  abortable,
  future,
  LocalExecutor,
  Poll,
  PollAfterReadyError,
  pending,
  pollFn,
  ready,
} from "../../src/index.js";
import { contextOf, countingWaker, Leaf, violations } from "./helpers.js";

afterEach(() => {
  expect(violations).toEqual([]);
  violations.length = 0;
});

describe("abortable", () => {
  it("passes the value through when not aborted", () => {
    const [fut, handle] = abortable(ready(3));
    expect(fut.poll(contextOf(countingWaker()))).toEqual({ value: 3 });
    expect(handle.isAborted).toBe(false);
  });

  it("abort drops the inner future at once and wakes the task, which gets AbortedError", () => {
    const log: string[] = [];
    const inner = future(function* () {
      try {
        yield* pending();
      } finally {
        log.push("inner cleanup");
      }
    });
    const [fut, handle] = abortable(inner);
    const waker = countingWaker();
    const cx = contextOf(waker);
    expect(fut.poll(cx)).toBe(Poll.pending);
    handle.abort("stop");
    expect(log).toEqual(["inner cleanup"]); // dropped at abort time, not at the next poll
    expect(waker.wakeCount).toBe(1);
    expect(handle.isAborted).toBe(true);
    let caught: unknown;
    try {
      fut.poll(cx);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AbortedError);
    expect((caught as AbortedError).cause).toBe("stop");
    expect(() => fut.poll(cx)).toThrow(PollAfterReadyError);
    handle.abort(); // idempotent
    expect(log).toEqual(["inner cleanup"]);
  });

  it("aborted before its first poll, the inner future never starts", () => {
    let started = false;
    const [fut, handle] = abortable(
      future(function* () {
        started = true;
        return 1;
      }),
    );
    handle.abort();
    expect(() => fut.poll(contextOf(countingWaker()))).toThrow(AbortedError);
    expect(started).toBe(false);
  });

  it("a result reached before the abort stands", () => {
    const leaf = new Leaf<number>("op");
    const [fut, handle] = abortable(leaf);
    const cx = contextOf(countingWaker());
    fut.poll(cx);
    leaf.resolve(9);
    expect(fut.poll(cx)).toEqual({ value: 9 });
    handle.abort();
    expect(handle.isAborted).toBe(true);
    expect(leaf.drops).toBe(0);
  });

  it("a future that aborts itself during its poll is dropped after that poll returns", () => {
    let handle: AbortHandle | undefined;
    let drops = 0;
    const inner = pollFn<number>(() => {
      handle?.abort("self");
      return Poll.pending;
    });
    inner.drop = () => {
      drops++;
    };
    const pair = abortable(inner);
    handle = pair[1];
    expect(() => pair[0].poll(contextOf(countingWaker()))).toThrow(AbortedError);
    expect(drops).toBe(1);
  });

  it("under an executor, the awaiting task finishes right after the abort", async () => {
    const ex = new LocalExecutor({ manual: true });
    const leaf = new Leaf<number>("op");
    const [fut, handle] = abortable(leaf);
    const h = ex.spawn(
      future(function* () {
        try {
          return yield* fut;
        } catch (e) {
          return e instanceof AbortedError ? -1 : -2;
        }
      }),
    );
    ex.runUntilStalled();
    handle.abort();
    expect(leaf.drops).toBe(1);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    await expect(ex.run(h)).resolves.toBe(-1);
  });

  it("dropping the wrapper drops the inner future", () => {
    const leaf = new Leaf<number>("op");
    const [fut, handle] = abortable(leaf);
    fut.poll(contextOf(countingWaker()));
    fut.drop();
    handle.abort();
    expect(leaf.drops).toBe(1);
    expect(fut.describe()).toContain("done");
  });

  it("rejects bad input eagerly", () => {
    expect(() => abortable(42 as never)).toThrow(/abortable\(fut\): expected a Future/);
    // The constructor is private for TypeScript; plain JavaScript still gets a clear error.
    const Handle = AbortHandle as unknown as new (target: unknown) => AbortHandle;
    expect(() => new Handle(ready(1))).toThrow(/use abortable\(fut\)/);
  });
});
