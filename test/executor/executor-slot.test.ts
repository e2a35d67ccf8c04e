import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { Context } from "../../src/core/context.js";
import type { Future } from "../../src/core/future.js";
import { Poll } from "../../src/core/poll.js";
import { pollFn, ready } from "../../src/core/poll-fn.js";
import {
  enterExecutor,
  exitExecutor,
  RuntimeContext,
  withExecutor,
} from "../../src/core/runtime.js";
import { reportUnhandled } from "../../src/core/unhandled.js";
import { Waker } from "../../src/core/waker.js";
import { currentExecutor, type Executor } from "../../src/executor/executor.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { captureUnhandled } from "../core/helpers.js";

/** A user-written executor built from core alone: a FIFO queue of root futures. */
class MiniExecutor implements Executor {
  spawned: Future<unknown>[] = [];
  readonly backing = new LocalExecutor({ manual: true });
  readonly errors: unknown[] = [];
  readonly runtime = new RuntimeContext(this, { onUnhandled: (e) => this.errors.push(e) });
  spawn<T>(fut: Future<T>): JoinHandle<T> {
    this.spawned.push(fut);
    return this.backing.spawn(fut);
  }
  run<T>(fut: Future<T>): Promise<T> {
    const queue: (() => void)[] = [];
    return new Promise<T>((resolve, reject) => {
      const cx = Context.from(Waker.from({ wake: () => queue.push(step) }));
      const step = () => {
        try {
          const p = withExecutor(this.runtime, () => fut.poll(cx));
          if (Poll.isReady(p)) resolve(p.value);
        } catch (e) {
          reject(e);
        }
      };
      queue.push(step);
      const loop = () => {
        while (queue.length > 0) queue.shift()?.();
        setImmediate(() => (queue.length > 0 ? loop() : undefined));
      };
      loop();
    });
  }
}

describe("the runtime context names the current executor", () => {
  it("is undefined outside any executor", () => {
    expect(currentExecutor()).toBeUndefined();
  });

  it("enterExecutor/exitExecutor nest and restore both the executor and the unhandled sink", () => {
    const outer = captureUnhandled();
    try {
      const a = new LocalExecutor({ manual: true });
      const b = new LocalExecutor({ manual: true });
      const seenA: unknown[] = [];
      const seenB: unknown[] = [];
      const sa = enterExecutor(new RuntimeContext(a, { onUnhandled: (e) => seenA.push(e) }));
      expect(currentExecutor()).toBe(a);
      const sb = enterExecutor(new RuntimeContext(b, { onUnhandled: (e) => seenB.push(e) }));
      expect(currentExecutor()).toBe(b);
      reportUnhandled("to b");
      exitExecutor(sb);
      expect(currentExecutor()).toBe(a);
      reportUnhandled("to a");
      exitExecutor(sa);
      expect(currentExecutor()).not.toBe(a); // back to captureUnhandled's context
      reportUnhandled("to outer");
      expect(seenA).toEqual(["to a"]);
      expect(seenB).toEqual(["to b"]);
      expect(outer.errors).toEqual(["to outer"]);
    } finally {
      outer.restore();
    }
  });

  it("withExecutor returns fn's value and restores the context even when fn throws", () => {
    const ex = new LocalExecutor({ manual: true });
    const context = new RuntimeContext(ex);
    expect(withExecutor(context, () => currentExecutor())).toBe(ex);
    expect(currentExecutor()).toBeUndefined();
    expect(() =>
      withExecutor(context, () => {
        throw new Error("x");
      }),
    ).toThrow("x");
    expect(currentExecutor()).toBeUndefined();
  });

  it("a user-written executor that enters its context gets spawn() and yieldNow() for free", async () => {
    const mini = new MiniExecutor();
    const value = await mini.run(
      future(function* () {
        expect(currentExecutor()).toBe(mini);
        const h = spawn(ready(1));
        yield* yieldNow();
        reportUnhandled("reported while mini polls");
        return h.id;
      }),
    );
    expect(typeof value).toBe("number");
    expect(mini.spawned).toHaveLength(1);
    expect(mini.errors).toEqual(["reported while mini polls"]);
    expect(currentExecutor()).toBeUndefined();
  });

  it("an executor stepped from inside another's task is current only during its own polls", () => {
    const outer = new LocalExecutor({ manual: true });
    const inner = new LocalExecutor({ manual: true });
    const seen: unknown[] = [];
    inner.spawn(
      pollFn(() => {
        seen.push(currentExecutor());
        return Poll.ready(undefined);
      }),
    );
    outer.spawn(
      pollFn(() => {
        seen.push(currentExecutor());
        inner.runUntilStalled();
        seen.push(currentExecutor());
        return Poll.ready(undefined);
      }),
    );
    outer.runUntilStalled();
    expect(seen).toEqual([outer, inner, outer]);
  });
});
