import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { PollAfterReadyError } from "../../src/core/errors.js";
import { pending, ready } from "../../src/core/poll-fn.js";
import { JoinError } from "../../src/executor/join-error.js";
import { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { run, spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Gate } from "../core/helpers.js";

function manual() {
  const errors: unknown[] = [];
  const ex = new LocalExecutor({ manual: true, onUnhandledError: (e) => errors.push(e) });
  return { ex, errors };
}

describe("JoinHandle", () => {
  it("is a Future whose value is the task's value", async () => {
    const v = await run(
      future(function* () {
        const h = spawn(
          future(function* () {
            yield* yieldNow();
            return 21;
          }),
        );
        expect(h).toBeInstanceOf(JoinHandle);
        return (yield* h) * 2;
      }),
    );
    expect(v).toBe(42);
  });

  it("a failed task gives JoinError with isPanic and the error as cause", () => {
    const { ex, errors } = manual();
    const e = new Error("panic");
    const child = ex.spawn(
      future(function* () {
        throw e;
      }),
    );
    let caught: unknown;
    ex.spawn(
      future(function* () {
        try {
          yield* child;
        } catch (err) {
          caught = err;
        }
      }),
    );
    ex.runUntilStalled();
    expect(caught).toBeInstanceOf(JoinError);
    expect((caught as JoinError).isPanic).toBe(true);
    expect((caught as JoinError).isCancelled).toBe(false);
    expect((caught as JoinError).cause).toBe(e);
    ex.shutdown();
    expect(errors).toEqual([]); // observed through the handle, so not unhandled
  });

  it("isFinished is a getter that flips when the task ends", () => {
    const { ex } = manual();
    const gate = new Gate<number>();
    const h = ex.spawn(gate);
    expect(h.isFinished).toBe(false);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    gate.resolve(1);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    let proto: object | null = h;
    let getter: unknown;
    while (proto !== null && getter === undefined) {
      getter = Object.getOwnPropertyDescriptor(proto, "isFinished")?.get;
      proto = Object.getPrototypeOf(proto);
    }
    expect(typeof getter).toBe("function");
  });

  it("abort() drops the task's future (its finally runs) and the handle gives JoinError isCancelled", () => {
    const { ex } = manual();
    const log: string[] = [];
    const leaf = new Gate();
    const h = ex.spawn(
      future(function* () {
        try {
          yield* leaf;
        } finally {
          log.push("cleanup");
        }
      }),
      { name: "victim" },
    );
    ex.runUntilStalled();
    h.abort();
    expect(log).toEqual([]); // at the next opportunity, not on the spot
    expect(ex.tasks()[0]?.state).toBe("scheduled");
    ex.runUntilStalled();
    expect(log).toEqual(["cleanup"]);
    expect(leaf.drops).toBe(1);
    expect(leaf.polls).toBe(1);
    expect(h.isFinished).toBe(true);
    let caught: unknown;
    ex.spawn(
      future(function* () {
        try {
          yield* h;
        } catch (err) {
          caught = err;
        }
      }),
    );
    ex.runUntilStalled();
    expect(caught).toBeInstanceOf(JoinError);
    expect((caught as JoinError).isCancelled).toBe(true);
    expect((caught as JoinError).isPanic).toBe(false);
    expect((caught as JoinError).message).toMatch(/victim/);
  });

  it("abort() before the first poll: the future is dropped without ever being polled", () => {
    const { ex } = manual();
    const leaf = new Gate();
    const h = ex.spawn(leaf);
    h.abort();
    ex.runUntilStalled();
    expect(leaf.polls).toBe(0);
    expect(leaf.drops).toBe(1);
    expect(h.isFinished).toBe(true);
  });

  it("abort() wakes a task that waits for an awaiter: the awaiter is woken with isCancelled", () => {
    const { ex } = manual();
    const h = ex.spawn(pending());
    let caught: unknown;
    ex.spawn(
      future(function* () {
        try {
          yield* h;
        } catch (err) {
          caught = err;
        }
      }),
    );
    ex.runUntilStalled();
    h.abort();
    ex.runUntilStalled();
    expect((caught as JoinError).isCancelled).toBe(true);
  });

  it("abort() from inside the task's own poll drops it once the poll returns Pending", () => {
    const { ex } = manual();
    const log: string[] = [];
    let self: ReturnType<typeof ex.spawn<void>> | undefined;
    self = ex.spawn(
      future(function* () {
        try {
          self?.abort();
          log.push("after abort");
          yield* pending();
          log.push("never");
        } finally {
          log.push("cleanup");
        }
      }),
    );
    ex.runUntilStalled();
    expect(log).toEqual(["after abort", "cleanup"]);
    expect(self.isFinished).toBe(true);
  });

  it("abort() is idempotent, and a no-op after the task finished", () => {
    const { ex } = manual();
    let finallies = 0;
    const a = ex.spawn(
      future(function* () {
        try {
          yield* pending();
        } finally {
          finallies++;
        }
      }),
    );
    ex.runUntilStalled();
    a.abort();
    a.abort();
    ex.runUntilStalled();
    a.abort();
    ex.runUntilStalled();
    expect(finallies).toBe(1);

    const b = ex.spawn(ready(7));
    ex.runUntilStalled();
    b.abort();
    expect(ex.tryRunOne()).toBe(false);
    let value: unknown;
    ex.spawn(
      future(function* () {
        value = yield* b;
      }),
    );
    ex.runUntilStalled();
    expect(value).toBe(7);
  });

  it("dropping a handle detaches the task: it keeps running to completion", () => {
    const { ex } = manual();
    const gate = new Gate<number>();
    let result: number | undefined;
    const h = ex.spawn(
      future(function* () {
        result = (yield* gate) + 1;
      }),
    );
    ex.runUntilStalled();
    h.drop();
    gate.resolve(1);
    ex.runUntilStalled();
    expect(result).toBe(2);
    expect(h.isFinished).toBe(true);
  });

  it("`using` a handle detaches at the end of the scope (the task is not aborted)", () => {
    const { ex } = manual();
    const gate = new Gate<number>();
    let done = false;
    {
      using h = ex.spawn(
        future(function* () {
          yield* gate;
          done = true;
        }),
      );
      void h;
    }
    ex.runUntilStalled();
    gate.resolve(0);
    ex.runUntilStalled();
    expect(done).toBe(true);
  });

  it("an awaiter that gave up (dropped its await) is not woken later", () => {
    const { ex } = manual();
    const gate = new Gate<number>();
    const h = ex.spawn(gate);
    let awaiterPolls = 0;
    const awaiter = ex.spawn(
      future(function* () {
        awaiterPolls++;
        yield* h;
      }),
    );
    ex.runUntilStalled();
    awaiter.abort();
    ex.runUntilStalled();
    gate.resolve(1);
    ex.runUntilStalled();
    expect(awaiterPolls).toBe(1);
  });

  it("polling a handle after it delivered its outcome throws PollAfterReadyError", () => {
    const { ex } = manual();
    const h = ex.spawn(ready(1));
    ex.runUntilStalled();
    let second: unknown;
    ex.spawn(
      future(function* () {
        yield* h;
        try {
          yield* h;
        } catch (err) {
          second = err;
        }
      }),
    );
    ex.runUntilStalled();
    expect(second).toBeInstanceOf(PollAfterReadyError);
  });

  it("has a numeric id and describes itself with it", () => {
    const { ex } = manual();
    const h = ex.spawn(pending(), { name: "srv" });
    expect(typeof h.id).toBe("number");
    expect(h.describe()).toContain(String(h.id));
    expect(h.describe()).toContain("srv");
  });
});
