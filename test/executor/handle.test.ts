/**
 * Spawning from outside the executor (Handle, currentHandle) and awaiting a task from plain
 * async code (JoinHandle is PromiseLike).
 */
import { describe, expect, it } from "vitest";
import {
  currentHandle,
  future,
  Handle,
  JoinError,
  LocalExecutor,
  pending,
  run,
  sleep,
  spawn,
  yieldNow,
} from "../../src/index.js";

describe("Handle", () => {
  it("spawns into a running executor from a host callback, waking it", async () => {
    const seen: string[] = [];
    const value = await run(
      future(function* () {
        const handle = currentHandle();
        const fromCallback = yield* (function* () {
          let h: ReturnType<Handle["spawn"]> | undefined;
          setTimeout(() => {
            h = handle.spawn(
              future(function* () {
                seen.push("spawned from a timer callback");
                yield* yieldNow();
                return 7;
              }),
            );
          }, 0);
          while (h === undefined) yield* sleep(1);
          return yield* h;
        })();
        return fromCallback;
      }),
    );
    expect(value).toBe(7);
    expect(seen).toEqual(["spawned from a timer callback"]);
  });

  it("executor.handle spawns onto an idle executor, which wakes and runs the task", async () => {
    const ex = new LocalExecutor();
    const h = ex.handle.spawn(
      future(function* () {
        yield* yieldNow();
        return "ran";
      }),
    );
    expect(ex.handle).toBe(ex.handle);
    expect(await h).toBe("ran");
    ex.shutdown();
  });

  it("refuses after the executor was shut down, or after the run() that made it ended", async () => {
    let handle: Handle | undefined;
    await run(
      future(function* () {
        handle = currentHandle();
      }),
    );
    expect(() => (handle as Handle).spawn(pending())).toThrow(
      /shut down|run\(\) that made it ended/,
    );
    const ex = new LocalExecutor();
    ex.shutdown();
    expect(ex.isClosed).toBe(true);
    expect(() => ex.handle.spawn(pending())).toThrow(/was shut down/);
    await expect(ex.run(pending())).rejects.toThrow(/was shut down/);
  });

  it("currentHandle() outside any executor throws, naming what to do", () => {
    expect(() => currentHandle()).toThrow(/outside an executor/);
    expect(() => new Handle({} as never)).toThrow(TypeError);
  });
});

describe("JoinHandle is PromiseLike", () => {
  it("await gives the value; every then shares one observation", async () => {
    const ex = new LocalExecutor();
    const h = ex.spawn(
      future(function* () {
        yield* sleep(1);
        return 42;
      }),
    );
    const [a, b] = await Promise.all([h, h.then((v) => v + 1)]);
    expect([a, b]).toEqual([42, 43]);
    ex.shutdown();
  });

  it("a failure rejects with JoinError and counts as observed (not reported as unhandled)", async () => {
    const unhandled: unknown[] = [];
    const ex = new LocalExecutor({ onUnhandledError: (e) => unhandled.push(e) });
    const h = ex.spawn(
      future(function* (): Generator<never, number> {
        throw new Error("boom");
      }),
    );
    const error = await h.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JoinError);
    expect((error as JoinError).isPanic).toBe(true);
    expect(((error as JoinError).cause as Error).message).toBe("boom");
    ex.shutdown();
    expect(unhandled).toEqual([]);
  });

  it("awaiting neither detaches nor aborts: an aborted task rejects as cancelled", async () => {
    const ex = new LocalExecutor();
    const h = ex.spawn(pending());
    const outcome = h.then(
      () => "value",
      (e: JoinError) => (e.isCancelled ? "cancelled" : "other"),
    );
    await new Promise((r) => setTimeout(r, 1));
    expect(h.isFinished).toBe(false); // still running while awaited
    h.abort();
    expect(await outcome).toBe("cancelled");
    ex.shutdown();
  });

  it("a task's handle can be awaited from plain async code inside a task's callback", async () => {
    const got = await run(
      future(function* () {
        const h = spawn(
          future(function* () {
            yield* yieldNow();
            return "child";
          }),
        );
        const viaPromise = (async () => `awaited ${await h}`)();
        yield* sleep(1);
        return viaPromise;
      }),
    );
    expect(got).toBe("awaited child");
  });
});
