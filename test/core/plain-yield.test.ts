/**
 * `yield*` (with the star) awaits a future; a plain `yield` is a mistake. TypeScript rejects it
 * (test/types); without types, the block throws a TypeError into the generator at that `yield`,
 * naming what was yielded, instead of silently awaiting it. The block tells the two apart by the
 * result object: `yield*` passes the shared one its iterator returned through unchanged.
 */
import { describe, expect, it } from "vitest";
import { asyncFn, future } from "../../src/core/async-block.js";
import type { AsyncGenerator } from "../../src/core/block-body.js";
import { Poll } from "../../src/core/poll.js";
import { ready } from "../../src/core/poll-fn.js";
import { JoinError } from "../../src/executor/join-error.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { run } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { channel } from "../../src/sync/mpsc.js";
import { sleep } from "../../src/time/sleep.js";
import { Gate, noopCx } from "./helpers.js";

/** What a JavaScript caller (no type-check) can write: `yield value` in a block. */
const untyped = (value: unknown): never => value as never;

const PLAIN_YIELD =
  /plain `yield` of .*await futures with `yield\*` \(with the star\), not `yield`/;

describe("a plain `yield` (without the star) in an async block", () => {
  it("throws a TypeError into the block at that yield, naming the future; it is not awaited", () => {
    const gate = new Gate("the gate");
    const f = future(function* () {
      try {
        yield untyped(gate);
        return "awaited";
      } catch (err) {
        return err;
      }
    });
    const p = f.poll(noopCx);
    const err = Poll.isReady(p) ? p.value : undefined;
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(PLAIN_YIELD);
    expect((err as Error).message).toContain("plain `yield` of a future (the gate)");
    expect(gate.polls).toBe(0);
  });

  it("`const x = yield sleep(100)` under run() fails at once with that error", async () => {
    const main = future(function* () {
      const x = yield untyped(sleep(100));
      return x;
    });
    await expect(run(main)).rejects.toThrow(/plain `yield` of a future \(sleep\(100\)\)/);
  });

  it("fails a spawned task (body run inline) with the TypeError as the JoinError's cause", () => {
    const ex = new LocalExecutor({ manual: true });
    const worker = asyncFn(function* (ms: number) {
      yield* yieldNow();
      yield untyped(sleep(ms));
      return ms;
    });
    const h = ex.spawn(worker(5));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    const out = future(function* () {
      try {
        return yield* h;
      } catch (err) {
        return err;
      }
    }).poll(noopCx);
    const err = Poll.isReady(out) ? out.value : undefined;
    expect(err).toBeInstanceOf(JoinError);
    expect((err as JoinError).isPanic).toBe(true);
    expect((err as JoinError).cause).toBeInstanceOf(TypeError);
    expect(((err as JoinError).cause as Error).message).toMatch(
      /plain `yield` of a future \(sleep\(5\)\)/,
    );
  });

  it("the block may catch the error and go on awaiting with yield*", () => {
    const f = future(function* () {
      let caught = "";
      try {
        yield untyped(ready(1));
      } catch (err) {
        caught = (err as Error).name;
      }
      const two = yield* ready(2);
      return `${caught} ${two}`;
    });
    const p = f.poll(noopCx);
    expect(Poll.isReady(p) && p.value).toBe("TypeError 2");
  });

  it("names plain yields of values that are not futures too", () => {
    const yielding = (value: unknown) =>
      future(function* () {
        yield untyped(value);
      });
    expect(() => yielding(5).poll(noopCx)).toThrow(/plain `yield` of number; await futures/);
    expect(() => yielding(Promise.resolve(1)).poll(noopCx)).toThrow(
      /plain `yield` of a Promise \(wrap it with fromPromise\)/,
    );
    expect(() => yielding(undefined).poll(noopCx)).toThrow(/plain `yield` of undefined/);
  });
});

describe("yield* is never mistaken for a plain yield", () => {
  it("through helper generators, eager futures that must wait, yieldNow and join handles", () => {
    const ex = new LocalExecutor({ manual: true });
    const [tx, rx] = channel<string>(1);
    const gate = new Gate<number>();
    function* inner(): AsyncGenerator<number> {
      return (yield* gate) + 1;
    }
    function* outer(): AsyncGenerator<number> {
      return (yield* inner()) * 10;
    }
    const child = ex.spawn(
      future(function* () {
        yield* yieldNow();
        return "child";
      }),
    );
    const h = ex.spawn(
      future(function* () {
        const fromHelpers = yield* outer(); // nested delegation, suspends on the gate
        const received = yield* rx.recv(); // an InlineFuture with nothing buffered: suspends
        yield* yieldNow(); // the YieldOnce path
        const joined = yield* child;
        return [fromHelpers, received.done ? "closed" : received.value, joined];
      }),
    );
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    gate.resolve(4);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    expect(tx.trySend("msg")).toBe(true);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    const out = future(function* () {
      return yield* h;
    }).poll(noopCx);
    expect(Poll.isReady(out) && out.value).toEqual([50, "msg", "child"]);
  });

  it("rests on the engine passing a delegated iterator's result object through unchanged", () => {
    const shared = { done: false, value: "inner" };
    const iterable: Iterable<string> = {
      [Symbol.iterator]: () => ({ next: () => shared }),
    };
    function* delegating(): Generator<string, void, unknown> {
      yield* iterable;
    }
    function* nested(): Generator<string, void, unknown> {
      yield* delegating();
    }
    function* plain(): Generator<string, void, unknown> {
      yield shared.value;
    }
    expect(delegating().next()).toBe(shared);
    expect(nested().next()).toBe(shared);
    expect(plain().next()).not.toBe(shared);
  });
});
