import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asyncFn, future } from "../../src/core/async-block.js";
import { AwaitDuringDropError, PollAfterReadyError } from "../../src/core/errors.js";
import { type Future, isFuture } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { lazy, pending, pollFn, ready } from "../../src/core/poll-fn.js";
import { captureUnhandled, countingContext, Gate, noopCx } from "./helpers.js";

let unhandled: ReturnType<typeof captureUnhandled>;
beforeEach(() => {
  unhandled = captureUnhandled();
});
afterEach(() => {
  unhandled.restore();
});

describe("future(function* …)", () => {
  it("is lazy: the body does not run until the first poll", () => {
    let ran = 0;
    const f = future(function* () {
      ran++;
      return 1;
    });
    expect(isFuture(f)).toBe(true);
    expect(ran).toBe(0);
    const p = f.poll(noopCx);
    expect(ran).toBe(1);
    expect(Poll.isReady(p) && p.value).toBe(1);
  });

  it("yield* gives the awaited future's value", () => {
    const f = future(function* () {
      const a = yield* ready(2);
      const b = yield* lazy(() => 3);
      return a * b;
    });
    const p = f.poll(noopCx);
    expect(Poll.isReady(p) && p.value).toBe(6);
  });

  it("a chain of ready-on-first-poll futures completes in one poll (resumes at once)", () => {
    let polls = 0;
    const f = future(function* () {
      let sum = 0;
      for (let i = 0; i < 1000; i++) sum += yield* ready(i);
      return sum;
    });
    const counted = pollFn((cx) => {
      polls++;
      return f.poll(cx);
    });
    const p = counted.poll(noopCx);
    expect(polls).toBe(1);
    expect(Poll.isReady(p) && p.value).toBe(499500);
  });

  it("after Ready, polling again throws PollAfterReadyError", () => {
    const f = future(function* () {
      return 1;
    });
    f.poll(noopCx);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
  });

  it("suspends on a pending future, keeps the latest waker there, resumes with its value", () => {
    const gate = new Gate<number>();
    let after = 0;
    const f = future(function* () {
      const v = yield* gate;
      after++;
      return v + 1;
    });
    const a = countingContext();
    const b = countingContext();
    expect(f.poll(a.cx)).toBe(Poll.pending);
    expect(gate.waker?.willWake(a.waker)).toBe(true);
    // A spurious poll with a new waker: the awaited future is polled again with it.
    expect(f.poll(b.cx)).toBe(Poll.pending);
    expect(gate.polls).toBe(2);
    expect(gate.waker?.willWake(b.waker)).toBe(true);
    expect(after).toBe(0);
    gate.resolve(41);
    expect(b.waker.wakeCount).toBe(1);
    expect(a.waker.wakeCount).toBe(0);
    const p = f.poll(b.cx);
    expect(Poll.isReady(p) && p.value).toBe(42);
    expect(after).toBe(1);
    expect(gate.violations).toEqual([]);
  });

  it("an awaited future's error is thrown at the yield* and can be caught", () => {
    const e = new Error("inner");
    const gate = new Gate<number>();
    const f = future(function* () {
      try {
        yield* gate;
        return "no";
      } catch (err) {
        return err === e ? "caught" : "wrong";
      }
    });
    expect(f.poll(noopCx)).toBe(Poll.pending);
    gate.reject(e);
    const p = f.poll(noopCx);
    expect(Poll.isReady(p) && p.value).toBe("caught");
  });

  it("an error thrown synchronously on the first poll of the awaited future is caught too", () => {
    const e = new Error("sync");
    const f = future(function* () {
      try {
        yield* lazy(() => {
          throw e;
        });
      } catch (err) {
        return err;
      }
      return undefined;
    });
    const p = f.poll(noopCx);
    expect(Poll.isReady(p) && p.value).toBe(e);
  });

  it("an uncaught error leaves poll, and the block is then finished", () => {
    const e = new Error("body");
    const f = future(function* () {
      yield* ready(1);
      throw e;
    });
    expect(() => f.poll(noopCx)).toThrow(e);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
  });

  it("a plain (non-Future) yield gives a TypeError inside the generator", () => {
    const f = future(function* () {
      try {
        yield 5 as never;
        return "no";
      } catch (err) {
        return err;
      }
    });
    const p = f.poll(noopCx);
    const err = Poll.isReady(p) ? p.value : undefined;
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/plain `yield` of number; await futures with `yield\*`/);
  });

  it("an uncaught non-Future yield fails the block with that TypeError", () => {
    const f = future(function* () {
      yield Promise.resolve(1) as never;
      return 1;
    });
    expect(() => f.poll(noopCx)).toThrow(/plain `yield` of a Promise \(wrap it with fromPromise\)/);
  });

  it("a body that throws before returning a generator fails the first poll", () => {
    const e = new Error("not a generator");
    const f = future((() => {
      throw e;
    }) as never);
    expect(() => f.poll(noopCx)).toThrow(e);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
  });

  it("a re-entrant poll from inside its own poll throws", () => {
    let self: Future<unknown> | undefined;
    let seen: unknown;
    self = future(function* () {
      try {
        (self as Future<unknown>).poll(noopCx);
      } catch (err) {
        seen = err;
      }
      return 1;
    });
    self.poll(noopCx);
    expect(seen).toBeInstanceOf(Error);
    expect((seen as Error).message).toMatch(/re-entrantly/);
  });

  it("validates the body eagerly", () => {
    expect(() => future(1 as never)).toThrow(TypeError);
    expect(() => future(1 as never)).toThrow(/future\(body\)/);
  });

  it("describe() says what the block waits on", () => {
    const gate = new Gate("the-gate");
    const f = future(function* namedBody() {
      yield* gate;
    });
    expect(f.describe()).toMatch(/namedBody.*not started/);
    f.poll(noopCx);
    expect(f.describe()).toBe("the-gate");
    gate.resolve(undefined);
    f.poll(noopCx);
    expect(f.describe()).toBe("done");
    const g = future(function* () {
      yield* pending();
    });
    g.poll(noopCx);
    g.drop();
    expect(g.describe()).toBe("dropped");
  });
});

describe("asyncFn", () => {
  it("returns a function producing lazy futures, passing arguments and `this`", () => {
    let ran = 0;
    const obj = {
      base: 10,
      add: asyncFn(function* (this: { base: number }, a: number, b: number) {
        ran++;
        return this.base + a + (yield* ready(b));
      }),
    };
    const f = obj.add(1, 2);
    expect(ran).toBe(0);
    const p = f.poll(noopCx);
    expect(Poll.isReady(p) && p.value).toBe(13);
  });

  it("passes any number of arguments, with and without `this`, exactly as given", () => {
    const echo = asyncFn(function* (this: unknown, ...args: unknown[]) {
      return { self: this, args };
    });
    const self = { name: "self" };
    const cases: [unknown, unknown[]][] = [
      [undefined, []],
      [undefined, [undefined]],
      [undefined, [7]],
      [undefined, [[1, 2]]],
      [undefined, [1, "two", 3]],
      [self, []],
      [self, [7]],
      [self, [1, 2, 3]],
    ];
    for (const [thisArg, args] of cases) {
      const p = echo.apply(thisArg, args).poll(noopCx);
      expect(Poll.isReady(p) && p.value).toEqual({ self: thisArg, args });
    }
  });

  it("each call is an independent future", () => {
    const gates = [new Gate<number>(), new Gate<number>()];
    const wait = asyncFn(function* (i: number) {
      return (yield* gates[i] as Gate<number>) * 2;
    });
    const f0 = wait(0);
    const f1 = wait(1);
    f0.poll(noopCx);
    f1.poll(noopCx);
    gates[1]?.resolve(5);
    const p1 = f1.poll(noopCx);
    expect(Poll.isReady(p1) && p1.value).toBe(10);
    expect(f0.poll(noopCx)).toBe(Poll.pending);
  });

  it("validates the body eagerly", () => {
    expect(() => asyncFn(null as never)).toThrow(/asyncFn\(body\)/);
  });
});

describe("dropping an async block", () => {
  it("before its first poll: the body never runs", () => {
    let ran = 0;
    const f = future(function* () {
      ran++;
      try {
        yield* pending();
      } finally {
        ran++;
      }
    });
    f.drop();
    expect(ran).toBe(0);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(unhandled.errors).toEqual([]);
  });

  it("drops the awaited future first, then runs finally blocks innermost first", () => {
    const log: string[] = [];
    const leaf = new Gate();
    const origDrop = leaf.drop.bind(leaf);
    leaf.drop = () => {
      log.push("leaf dropped");
      origDrop();
    };
    const inner = future(function* () {
      try {
        try {
          yield* leaf;
        } finally {
          log.push("inner: innermost finally");
        }
      } finally {
        log.push("inner: outer finally");
      }
    });
    const outer = future(function* () {
      try {
        yield* inner;
      } finally {
        log.push("outer finally");
      }
    });
    expect(outer.poll(noopCx)).toBe(Poll.pending);
    outer.drop();
    expect(log).toEqual([
      "leaf dropped",
      "inner: innermost finally",
      "inner: outer finally",
      "outer finally",
    ]);
    expect(leaf.drops).toBe(1);
    expect(unhandled.errors).toEqual([]);
  });

  it("is idempotent, and nothing is polled after drop", () => {
    let finallies = 0;
    const leaf = new Gate();
    const f = future(function* () {
      try {
        yield* leaf;
      } finally {
        finallies++;
      }
    });
    f.poll(noopCx);
    f.drop();
    f.drop();
    f[Symbol.dispose]();
    expect(finallies).toBe(1);
    expect(leaf.drops).toBe(1);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(leaf.polls).toBe(1);
    expect(leaf.violations).toEqual([]);
  });

  it("after the block finished, drop does nothing (finally blocks already ran once)", () => {
    let finallies = 0;
    const f = future(function* () {
      try {
        return yield* ready(1);
      } finally {
        finallies++;
      }
    });
    f.poll(noopCx);
    expect(finallies).toBe(1);
    f.drop();
    expect(finallies).toBe(1);
  });

  it("`using` drops it at the end of a scope", () => {
    let finallies = 0;
    const leaf = new Gate();
    {
      using f = future(function* () {
        try {
          yield* leaf;
        } finally {
          finallies++;
        }
      });
      f.poll(noopCx);
    }
    expect(leaf.drops).toBe(1);
    expect(finallies).toBe(1);
  });

  it("a finally that tries to yield* gets AwaitDuringDropError, reported, not thrown at the dropper", () => {
    const cleanup = new Gate("cleanup");
    let caughtInFinally: unknown;
    let afterYield = false;
    const f = future(function* () {
      try {
        yield* pending();
      } finally {
        try {
          yield* cleanup;
          afterYield = true;
        } catch (err) {
          caughtInFinally = err;
          // biome-ignore lint/correctness/noUnsafeFinally: rethrowing from a finally under test
          throw err;
        }
      }
    });
    f.poll(noopCx);
    expect(() => f.drop()).not.toThrow();
    expect(caughtInFinally).toBeInstanceOf(AwaitDuringDropError);
    expect(afterYield).toBe(false);
    expect(unhandled.errors).toHaveLength(1);
    expect(unhandled.errors[0]).toBeInstanceOf(AwaitDuringDropError);
    expect((unhandled.errors[0] as Error).message).toMatch(/drop is synchronous/);
    // The future the finally tried to await is dropped, never polled.
    expect(cleanup.polls).toBe(0);
    expect(cleanup.drops).toBe(1);
  });

  it("a finally that swallows AwaitDuringDropError and keeps awaiting does not hang", () => {
    let attempts = 0;
    const f = future(function* () {
      try {
        yield* pending();
      } finally {
        for (;;) {
          try {
            attempts++;
            yield* pending();
          } catch {
            // keeps trying: the block must give up eventually
          }
        }
      }
    });
    f.poll(noopCx);
    f.drop();
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(100);
    expect(unhandled.errors.length).toBeGreaterThanOrEqual(1);
    expect(unhandled.errors.every((e) => e instanceof AwaitDuringDropError)).toBe(true);
  });

  it("a finally that swallows the error once and then returns reports nothing", () => {
    const log: string[] = [];
    const f = future(function* () {
      try {
        yield* pending();
      } finally {
        try {
          yield* pending();
        } catch (err) {
          log.push(err instanceof AwaitDuringDropError ? "told" : "other");
        }
        log.push("done");
      }
    });
    f.poll(noopCx);
    f.drop();
    expect(log).toEqual(["told", "done"]);
    expect(unhandled.errors).toEqual([]);
  });

  it("an error thrown by a finally is reported; outer finally blocks (and outer blocks) still run", () => {
    const log: string[] = [];
    const e = new Error("cleanup failed");
    const inner = future(function* () {
      try {
        yield* pending();
      } finally {
        log.push("inner finally");
        // biome-ignore lint/correctness/noUnsafeFinally: testing a throwing finally
        throw e;
      }
    });
    const outer = future(function* () {
      try {
        yield* inner;
      } finally {
        log.push("outer finally");
      }
    });
    outer.poll(noopCx);
    expect(() => outer.drop()).not.toThrow();
    expect(log).toEqual(["inner finally", "outer finally"]);
    expect(unhandled.errors).toEqual([e]);
  });

  it("an awaited future whose drop throws is reported; the block's finally still runs", () => {
    const e = new Error("drop failed");
    const bad = pollFn(() => Poll.pending);
    bad.drop = () => {
      throw e;
    };
    let finallies = 0;
    const f = future(function* () {
      try {
        yield* bad;
      } finally {
        finallies++;
      }
    });
    f.poll(noopCx);
    f.drop();
    expect(finallies).toBe(1);
    expect(unhandled.errors).toEqual([e]);
  });

  it("dropping itself from inside its own poll is reported and does not throw", () => {
    let self: Future<unknown> | undefined;
    self = future(function* () {
      (self as Future<unknown>).drop();
      return 1;
    });
    self.poll(noopCx);
    expect(unhandled.errors).toHaveLength(1);
    expect((unhandled.errors[0] as Error).message).toMatch(/inside its own poll/);
  });
});
