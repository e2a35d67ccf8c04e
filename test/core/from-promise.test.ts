import { afterEach, describe, expect, it } from "vitest";
import { AbortedError, PollAfterReadyError } from "../../src/core/errors.js";
import type { ExternalTracker } from "../../src/core/external.js";
import { fromPromise } from "../../src/core/from-promise.js";
import { Poll } from "../../src/core/poll.js";
import {
  enterExecutor,
  exitExecutor,
  RuntimeContext,
  type ExternalTracker as Tracker,
} from "../../src/core/runtime.js";
import { countingContext, macrotask, noopCx } from "./helpers.js";

/** Enters a runtime context whose outside work goes to `tracker`; returns what to restore. */
const trackOutside = (tracker: Tracker) =>
  enterExecutor(new RuntimeContext({}, { external: tracker }));

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const listeners: ((e: unknown) => void)[] = [];
afterEach(() => {
  for (const l of listeners.splice(0)) process.off("unhandledRejection", l);
});

describe("fromPromise", () => {
  it("is lazy: the factory runs on the first poll, not before", () => {
    let calls = 0;
    const f = fromPromise(() => {
      calls++;
      return Promise.resolve(1);
    });
    expect(calls).toBe(0);
    f.poll(noopCx);
    expect(calls).toBe(1);
    f.poll(noopCx);
    expect(calls).toBe(1);
  });

  it("delivers the value: pending, then the latest waker is woken once, then Ready", async () => {
    const d = deferred<string>();
    const f = fromPromise(() => d.promise);
    const a = countingContext();
    const b = countingContext();
    expect(f.poll(a.cx)).toBe(Poll.pending);
    expect(f.poll(b.cx)).toBe(Poll.pending);
    d.resolve("v");
    await d.promise;
    await macrotask();
    expect(a.waker.wakeCount).toBe(0);
    expect(b.waker.wakeCount).toBe(1);
    const p = f.poll(b.cx);
    expect(Poll.isReady(p) && p.value).toBe("v");
    expect(() => f.poll(b.cx)).toThrow(PollAfterReadyError);
  });

  it("delivers the rejection as an error thrown from poll", async () => {
    const d = deferred<string>();
    const f = fromPromise(() => d.promise);
    const { cx, waker } = countingContext();
    f.poll(cx);
    const e = new Error("failed");
    d.reject(e);
    await macrotask();
    expect(waker.wakeCount).toBe(1);
    expect(() => f.poll(cx)).toThrow(e);
    expect(() => f.poll(cx)).toThrow(PollAfterReadyError);
  });

  it("a factory returning a plain value is ready on the first poll", () => {
    const f = fromPromise(() => 7);
    const p = f.poll(noopCx);
    expect(Poll.isReady(p) && p.value).toBe(7);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
  });

  it("a factory that throws fails the first poll", () => {
    const e = new Error("sync");
    const f = fromPromise(() => {
      throw e;
    });
    expect(() => f.poll(noopCx)).toThrow(e);
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
  });

  it("accepts an already-started promise (and any thenable)", async () => {
    const f = fromPromise(Promise.resolve(3));
    const { cx, waker } = countingContext();
    expect(f.poll(cx)).toBe(Poll.pending);
    await macrotask();
    expect(waker.wakeCount).toBe(1);
    const p = f.poll(cx);
    expect(Poll.isReady(p) && p.value).toBe(3);

    // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the point here
    const thenable = { then: (ok: (v: number) => void) => ok(4) } as unknown as PromiseLike<number>;
    const g = fromPromise(thenable);
    expect(g.poll(cx)).toBe(Poll.pending); // the thenable calls back synchronously: woken
    const q = g.poll(cx);
    expect(Poll.isReady(q) && q.value).toBe(4);
  });

  it("passes an AbortSignal that is aborted (with AbortedError) when dropped while waiting", () => {
    let signal: AbortSignal | undefined;
    const f = fromPromise((s) => {
      signal = s;
      return new Promise<never>(() => {});
    });
    f.poll(noopCx);
    expect(signal?.aborted).toBe(false);
    f.drop();
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(AbortedError);
    f.drop(); // idempotent
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
  });

  it("dropped before its first poll, the factory never runs", () => {
    let calls = 0;
    const f = fromPromise(() => {
      calls++;
      return Promise.resolve(1);
    });
    f.drop();
    expect(() => f.poll(noopCx)).toThrow(PollAfterReadyError);
    expect(calls).toBe(0);
  });

  it("dropped after the promise settled, the signal is not aborted", async () => {
    let signal: AbortSignal | undefined;
    const f = fromPromise((s) => {
      signal = s;
      return Promise.resolve(1);
    });
    f.poll(noopCx);
    await macrotask();
    f.drop();
    expect(signal?.aborted).toBe(false);
  });

  it("a rejection after drop is neither reported as unhandled nor wakes anyone", async () => {
    const seen: unknown[] = [];
    const listener = (e: unknown) => seen.push(e);
    listeners.push(listener);
    process.on("unhandledRejection", listener);
    const d = deferred<number>();
    const f = fromPromise(() => d.promise);
    const { cx, waker } = countingContext();
    f.poll(cx);
    f.drop();
    d.reject(new Error("late failure"));
    await macrotask();
    await macrotask();
    expect(seen).toEqual([]);
    expect(waker.wakeCount).toBe(0);
  });

  it("announces outside work while waiting: begin once, end once (on settle or on drop)", async () => {
    const calls: string[] = [];
    const tracker: ExternalTracker = {
      begin: () => calls.push("begin"),
      end: () => calls.push("end"),
    };
    const prev = trackOutside(tracker);
    const d = deferred<number>();
    const settled = fromPromise(() => d.promise);
    const dropped = fromPromise(() => new Promise<number>(() => {}));
    try {
      settled.poll(noopCx);
      dropped.poll(noopCx);
    } finally {
      exitExecutor(prev);
    }
    expect(calls).toEqual(["begin", "begin"]);
    dropped.drop();
    dropped.drop();
    expect(calls).toEqual(["begin", "begin", "end"]);
    d.resolve(1);
    await macrotask();
    expect(calls).toEqual(["begin", "begin", "end", "end"]);
  });

  describe("thenables that misbehave settle it as a Promise would, and close the outside work", () => {
    function tracked<T>(body: () => T): { value: T; calls: string[] } {
      const calls: string[] = [];
      const prev = trackOutside({
        begin: () => calls.push("begin"),
        end: () => calls.push("end"),
      });
      try {
        return { value: body(), calls };
      } finally {
        exitExecutor(prev);
      }
    }

    it("a then() that throws fails the future with that error", async () => {
      const boom = new Error("then() threw");
      const thenable = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
        then() {
          throw boom;
        },
      };
      // What a Promise does with it, for comparison:
      await expect(Promise.resolve(thenable)).rejects.toBe(boom);
      for (const f of [fromPromise(() => thenable), fromPromise(thenable as PromiseLike<never>)]) {
        const { cx, waker } = countingContext();
        const { value: first, calls } = tracked(() => f.poll(cx));
        // Like a then() that calls reject synchronously: woken, and fails on the next poll.
        expect(first).toBe(Poll.pending);
        expect(calls).toEqual(["begin", "end"]);
        expect(waker.wakeCount).toBe(1);
        expect(() => f.poll(cx)).toThrow(boom);
        expect(() => f.poll(cx)).toThrow(PollAfterReadyError);
      }
    });

    it("a then() that settles and then throws keeps the first outcome", () => {
      const thenable = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
        then(resolve: (v: number) => void, reject: (e: unknown) => void) {
          resolve(7);
          reject(new Error("second"));
          throw new Error("third");
        },
      };
      const f = fromPromise(() => thenable as unknown as PromiseLike<number>);
      const { cx, waker } = countingContext();
      const { value: p, calls } = tracked(() => f.poll(cx));
      expect(p).toBe(Poll.pending);
      expect(calls).toEqual(["begin", "end"]);
      expect(waker.wakeCount).toBe(1);
      expect(f.poll(cx)).toEqual({ value: 7 });
    });

    it("reads then once, and a then getter that throws fails the future", () => {
      let reads = 0;
      const viaGetter = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
        get then() {
          reads++;
          return (resolve: (v: string) => void) => resolve("once");
        },
      };
      const once = fromPromise(() => viaGetter as unknown as PromiseLike<string>);
      expect(once.poll(noopCx)).toBe(Poll.pending);
      expect(once.poll(noopCx)).toEqual({ value: "once" });
      expect(reads).toBe(1);
      const boom = new Error("getter threw");
      const throwing = {
        // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
        get then(): never {
          throw boom;
        },
      };
      const f = fromPromise(() => throwing as unknown as PromiseLike<never>);
      const { value: thrown, calls } = tracked(() => {
        try {
          return f.poll(noopCx);
        } catch (error) {
          return error;
        }
      });
      expect(thrown).toBe(boom);
      expect(calls).toEqual([]);
    });
  });

  it("describe() says it waits on a promise", () => {
    const f = fromPromise(() => new Promise<never>(() => {}));
    f.poll(noopCx);
    expect(f.describe()).toBe("promise");
  });

  it.each([
    ["a number", 1],
    ["null", null],
    ["a plain object", {}],
  ])("rejects %s eagerly with a TypeError", (_l, bad) => {
    expect(() => fromPromise(bad as never)).toThrow(TypeError);
    expect(() => fromPromise(bad as never)).toThrow(/fromPromise\(source\)/);
  });
});
