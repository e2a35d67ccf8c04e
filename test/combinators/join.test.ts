import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  type Context,
  Future,
  future,
  join,
  joinAll,
  LocalExecutor,
  Poll,
  PollAfterReadyError,
  pending,
  ready,
  yieldNow,
} from "../../src/index.js";
import { contextOf, countingWaker, Leaf, violations } from "./helpers.js";

afterEach(() => {
  expect(violations).toEqual([]);
  violations.length = 0;
});

/** Pending on its first poll (storing the waker), ready with `value` on the second. */
class WakeOnce extends Future<number> {
  polls = 0;
  waker: { wake(): void } | undefined;
  constructor(readonly value: number) {
    super();
  }
  poll(cx: Context): Poll<number> {
    this.polls++;
    if (this.polls === 1) {
      this.waker = cx.waker;
      return Poll.pending;
    }
    return Poll.ready(this.value);
  }
}

describe("join", () => {
  it("gives the values as a typed tuple, in argument order", () => {
    const a = new Leaf<number>("a");
    const b = new Leaf<string>("b");
    const j = join(a, b, ready(true));
    expectTypeOf(j).toEqualTypeOf<Future<[number, string, boolean]>>();
    const waker = countingWaker();
    const cx = contextOf(waker);
    expect(j.poll(cx)).toBe(Poll.pending);
    b.resolve("x");
    a.resolve(1);
    expect(waker.wakeCount).toBe(1); // one wake for the parent until it is polled again
    expect(j.poll(cx)).toEqual({ value: [1, "x", true] });
    expect(() => j.poll(cx)).toThrow(PollAfterReadyError);
  });

  it("polls only the children that were woken", () => {
    const leaves = [new Leaf<number>("0"), new Leaf<number>("1"), new Leaf<number>("2")];
    const j = joinAll(leaves);
    const cx = contextOf(countingWaker());
    j.poll(cx);
    expect(leaves.map((l) => l.polls)).toEqual([1, 1, 1]);
    leaves[1]?.waker?.wake();
    j.poll(cx);
    expect(leaves.map((l) => l.polls)).toEqual([1, 2, 1]);
    j.poll(cx); // spurious poll: nothing was woken
    expect(leaves.map((l) => l.polls)).toEqual([1, 2, 1]);
    j.drop();
  });

  it("joinAll of 20,000 children polls each exactly twice when each wakes once", () => {
    const n = 20_000;
    const children = Array.from({ length: n }, (_, i) => new WakeOnce(i));
    const j = joinAll(children);
    const waker = countingWaker();
    const cx = contextOf(waker);
    expect(j.poll(cx)).toBe(Poll.pending);
    // wake them in a scrambled order
    for (let i = 0; i < n; i++) children[(i * 7919) % n]?.waker?.wake();
    expect(waker.wakeCount).toBe(1);
    const p = j.poll(cx);
    expect(Poll.isReady(p)).toBe(true);
    const values = (p as { value: number[] }).value;
    expect(values.length).toBe(n);
    expect(values[12_345]).toBe(12_345);
    expect(children.filter((c) => c.polls !== 2)).toEqual([]);
  });

  it("a child that wakes itself is polled again on the next poll of the join, not in a loop", () => {
    let polls = 0;
    const ex = new LocalExecutor({ manual: true });
    const h = ex.spawn(
      joinAll([
        future(function* () {
          for (let i = 0; i < 3; i++) {
            polls++;
            yield* yieldNow();
          }
          return 1;
        }),
      ]),
    );
    expect(ex.tryRunOne()).toBe(true);
    expect(polls).toBe(1);
    expect(ex.tryRunOne()).toBe(true);
    expect(polls).toBe(2);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
  });

  it("fails fast: drops the unfinished children before rethrowing the first error", () => {
    const log: string[] = [];
    const a = new Leaf<number>("a", log);
    const b = new Leaf<number>("b", log);
    const c = new Leaf<number>("c", log);
    const j = join(a, b, c);
    const cx = contextOf(countingWaker());
    j.poll(cx);
    a.resolve(1);
    j.poll(cx);
    const boom = new Error("boom");
    b.reject(boom);
    let caught: unknown;
    try {
      j.poll(cx);
    } catch (e) {
      caught = e;
      log.push("caught");
    }
    expect(caught).toBe(boom);
    expect(log).toEqual(["drop c", "caught"]); // a finished (not dropped), c dropped first
    expect(a.drops + b.drops).toBe(0);
    c.resolve(3); // a late wake of a dropped child is ignored
    expect(() => j.poll(cx)).toThrow(PollAfterReadyError);
  });

  it("runs the finally blocks of the other children when one fails", async () => {
    const cleaned: string[] = [];
    const slow = (name: string) =>
      future(function* () {
        try {
          yield* pending();
        } finally {
          cleaned.push(name);
        }
      });
    const failing = future(function* () {
      yield* yieldNow();
      throw new Error("nope");
    });
    const ex = new LocalExecutor({ manual: true });
    const h = ex.spawn(join(slow("x"), failing, slow("y")));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(cleaned).toEqual(["x", "y"]);
  });

  it("dropping the join drops every unfinished child, once", () => {
    const leaves = [new Leaf<number>("0"), new Leaf<number>("1"), new Leaf<number>("2")];
    const j = joinAll(leaves);
    const cx = contextOf(countingWaker());
    j.poll(cx);
    leaves[0]?.resolve(0);
    j.poll(cx);
    j.drop();
    j.drop();
    expect(leaves.map((l) => l.drops)).toEqual([0, 1, 1]);
  });

  it("joinAll of nothing is ready at once with []", () => {
    expect(joinAll([]).poll(contextOf(countingWaker()))).toEqual({ value: [] });
    expect(join().poll(contextOf(countingWaker()))).toEqual({ value: [] });
  });

  it("accepts any iterable, read eagerly", () => {
    function* gen() {
      yield ready(1);
      yield ready(2);
    }
    expect(joinAll(gen()).poll(contextOf(countingWaker()))).toEqual({ value: [1, 2] });
  });

  it("describes what it waits on", () => {
    const j = join(new Leaf("first"), new Leaf("second"));
    j.poll(contextOf(countingWaker()));
    expect(j.describe()).toContain("first");
    j.drop();
    expect(j.describe()).toContain("done");
  });

  it("rejects bad input eagerly", () => {
    expect(() => joinAll(5 as never)).toThrow(TypeError);
    expect(() => joinAll(null as never)).toThrow(/joinAll\(futures\): expected an iterable/);
    expect(() => joinAll([ready(1), 2 as never])).toThrow(/element 1: expected a Future/);
    expect(() => joinAll([Promise.resolve(1) as never])).toThrow(/fromPromise/);
    expect(() => join(ready(1), "x" as never)).toThrow(/join\(futures\[1\]\)/);
  });
});
