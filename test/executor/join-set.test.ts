import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { pending, ready } from "../../src/core/poll-fn.js";
import { JoinError } from "../../src/executor/join-error.js";
import { JoinSet } from "../../src/executor/join-set.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { run } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Gate } from "../core/helpers.js";

const afterYields = (n: number, value: number) =>
  future(function* () {
    for (let i = 0; i < n; i++) yield* yieldNow();
    return value;
  });

describe("JoinSet", () => {
  it("joinNext gives results in completion order, then { done: true } when empty", async () => {
    const results = await run(
      future(function* () {
        const set = new JoinSet<number>();
        set.spawn(afterYields(5, 5));
        set.spawn(afterYields(1, 1));
        set.spawn(afterYields(3, 3));
        expect(set.size).toBe(3);
        const out: number[] = [];
        for (let r = yield* set.joinNext(); !r.done; r = yield* set.joinNext()) {
          out.push(r.value);
        }
        expect(set.size).toBe(0);
        const last = yield* set.joinNext();
        expect(last.done).toBe(true);
        return out;
      }),
    );
    expect(results).toEqual([1, 3, 5]);
  });

  it("joinNext on an empty set is immediately { done: true }", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    let r: IteratorResult<number, undefined> | undefined;
    ex.spawn(
      future(function* () {
        r = yield* set.joinNext();
      }),
    );
    ex.runUntilStalled();
    expect(r).toEqual({ done: true, value: undefined });
  });

  it("size counts tasks spawned and not yet returned by joinNext", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    const gate = new Gate<number>();
    set.spawn(gate);
    set.spawn(ready(1));
    expect(set.size).toBe(2);
    ex.runUntilStalled();
    expect(set.size).toBe(2); // finished but not yet joined
    const got: unknown[] = [];
    ex.spawn(
      future(function* () {
        got.push(yield* set.joinNext());
        got.push(set.size);
      }),
    );
    ex.runUntilStalled();
    expect(got).toEqual([{ done: false, value: 1 }, 1]);
  });

  it("a failed task surfaces from joinNext as a JoinError, and leaves the set", async () => {
    const e = new Error("bad");
    const out = await run(
      future(function* () {
        const set = new JoinSet<number>();
        set.spawn(
          future(function* () {
            yield* yieldNow();
            throw e;
          }),
        );
        set.spawn(afterYields(3, 7));
        let err: unknown;
        try {
          yield* set.joinNext();
        } catch (x) {
          err = x;
        }
        const sizeAfterError = set.size;
        const next = yield* set.joinNext();
        return { err, sizeAfterError, next };
      }),
    );
    expect(out.err).toBeInstanceOf(JoinError);
    expect((out.err as JoinError).isPanic).toBe(true);
    expect((out.err as JoinError).cause).toBe(e);
    expect(out.sizeAfterError).toBe(1);
    expect(out.next).toEqual({ done: false, value: 7 });
  });

  it("abortAll drops every task (finally blocks run); joinNext reports each as cancelled", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    const log: string[] = [];
    for (const name of ["a", "b"]) {
      set.spawn(
        future(function* () {
          try {
            return yield* pending<number>();
          } finally {
            log.push(name);
          }
        }),
      );
    }
    ex.runUntilStalled();
    set.abortAll();
    ex.runUntilStalled();
    expect(log.sort()).toEqual(["a", "b"]);
    const outcomes: string[] = [];
    ex.spawn(
      future(function* () {
        for (;;) {
          try {
            const r = yield* set.joinNext();
            if (r.done) break;
            outcomes.push("value");
          } catch (err) {
            outcomes.push((err as JoinError).isCancelled ? "cancelled" : "other");
          }
        }
      }),
    );
    ex.runUntilStalled();
    expect(outcomes).toEqual(["cancelled", "cancelled"]);
    expect(set.size).toBe(0);
  });

  it("disposing the set (`using`) aborts its tasks", async () => {
    const log: string[] = [];
    await run(
      future(function* () {
        {
          using set = new JoinSet<void>();
          set.spawn(
            future(function* () {
              try {
                yield* pending();
              } finally {
                log.push("dropped");
              }
            }),
          );
          yield* yieldNow(); // the task starts
          log.push("leaving scope");
        }
        yield* yieldNow(); // the abort is carried out
        log.push("after");
      }),
    );
    expect(log).toEqual(["leaving scope", "dropped", "after"]);
  });

  it("a joinNext waiting on the set is woken when a task finishes", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    const gate = new Gate<number>();
    set.spawn(gate);
    let got: IteratorResult<number, undefined> | undefined;
    let polls = 0;
    ex.spawn(
      future(function* () {
        polls++;
        got = yield* set.joinNext();
      }),
    );
    ex.runUntilStalled();
    expect(got).toBeUndefined();
    gate.resolve(11);
    ex.runUntilStalled();
    expect(got).toEqual({ done: false, value: 11 });
    expect(polls).toBe(1);
  });

  it("dropping the handle spawn returned does not take the task out of the set", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    set.spawn(ready(3)).drop();
    let got: unknown;
    ex.spawn(
      future(function* () {
        got = yield* set.joinNext();
      }),
    );
    ex.runUntilStalled();
    expect(got).toEqual({ done: false, value: 3 });
  });

  it("spawn outside an executor, without one given, throws an Error saying so", () => {
    const set = new JoinSet<number>();
    expect(() => set.spawn(ready(1))).toThrow(/outside an executor/);
    expect(() => set.spawn(1 as never)).toThrow(TypeError);
  });
});

/** Issue 10 item 7: joinNext delivers every failure as a JoinError, whatever the handle saw. */
describe("JoinSet delivers a failure exactly once through joinNext", () => {
  const boom = () =>
    future(function* (): Generator<never, number> {
      throw new Error("boom");
    });

  function joinAll(ex: LocalExecutor, set: JoinSet<number>) {
    const outcomes: string[] = [];
    ex.spawn(
      future(function* () {
        for (;;) {
          try {
            const r = yield* set.joinNext();
            if (r.done) return;
            outcomes.push(`value ${r.value}`);
          } catch (e) {
            const err = e as JoinError;
            outcomes.push(`${err.name} panic=${err.isPanic} ${(err.cause as Error)?.message}`);
          }
        }
      }),
    );
    ex.runUntilStalled();
    return outcomes;
  }

  it("when the handle set.spawn returned was dropped before the task failed", () => {
    const unhandled: unknown[] = [];
    const ex = new LocalExecutor({ manual: true, onUnhandledError: (e) => unhandled.push(e) });
    const set = new JoinSet<number>(ex);
    set.spawn(boom()).drop();
    set.spawn(ready(2)).drop();
    ex.runUntilStalled();
    expect(joinAll(ex, set)).toEqual(["JoinError panic=true boom", "value 2"]);
    ex.shutdown();
    expect(unhandled).toEqual([]); // delivered by joinNext: not unhandled as well
  });

  it("when the handle was dropped after the task failed", () => {
    const unhandled: unknown[] = [];
    const ex = new LocalExecutor({ manual: true, onUnhandledError: (e) => unhandled.push(e) });
    const set = new JoinSet<number>(ex);
    const handle = set.spawn(boom());
    ex.runUntilStalled();
    handle.drop();
    expect(joinAll(ex, set)).toEqual(["JoinError panic=true boom"]);
    ex.shutdown();
    expect(unhandled).toEqual([]);
  });

  it("when the handle was awaited first: both get the JoinError", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    const handle = set.spawn(boom());
    let direct = "";
    ex.spawn(
      future(function* () {
        try {
          yield* handle;
        } catch (e) {
          direct = `${(e as JoinError).isPanic} ${((e as JoinError).cause as Error).message}`;
        }
      }),
    );
    ex.runUntilStalled();
    expect(direct).toBe("true boom");
    expect(joinAll(ex, set)).toEqual(["JoinError panic=true boom"]);
  });

  it("when the value was taken through the handle, joinNext still gives it", () => {
    const ex = new LocalExecutor({ manual: true });
    const set = new JoinSet<number>(ex);
    const handle = set.spawn(ready(5));
    let direct = 0;
    ex.spawn(
      future(function* () {
        direct = yield* handle;
      }),
    );
    ex.runUntilStalled();
    expect(direct).toBe(5);
    expect(joinAll(ex, set)).toEqual(["value 5"]);
  });

  it("a failure the set never delivers is still reported when the executor shuts down", () => {
    const unhandled: unknown[] = [];
    const ex = new LocalExecutor({ manual: true, onUnhandledError: (e) => unhandled.push(e) });
    const set = new JoinSet<number>(ex);
    set.spawn(boom()).drop();
    ex.runUntilStalled();
    expect(unhandled).toEqual([]); // the set may still deliver it
    ex.shutdown();
    expect(unhandled.map((e) => (e as Error).message)).toEqual(["boom"]);
    expect(set.size).toBe(1);
  });
});
