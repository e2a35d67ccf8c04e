import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { pending, ready } from "../../src/core/poll-fn.js";
import { JoinError } from "../../src/executor/join-error.js";
import type { JoinHandle } from "../../src/executor/join-handle.js";
import { LocalExecutor } from "../../src/executor/local-executor.js";
import { run, spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Gate, macrotask, track } from "../core/helpers.js";

describe("run", () => {
  it("resolves with the root's value", async () => {
    await expect(run(ready(42))).resolves.toBe(42);
    await expect(
      run(
        future(function* () {
          yield* yieldNow();
          return "done";
        }),
      ),
    ).resolves.toBe("done");
  });

  it("rejects with the root's own error (not a JoinError), and reports nothing as unhandled", async () => {
    const e = new Error("boom");
    const unhandled: unknown[] = [];
    await expect(
      run(
        future(function* () {
          yield* yieldNow();
          throw e;
        }),
        { onUnhandledError: (err) => unhandled.push(err) },
      ),
    ).rejects.toBe(e);
    expect(unhandled).toEqual([]);
  });

  it("rejects with an error thrown on the root's first poll", async () => {
    const e = new Error("early");
    const unhandled: unknown[] = [];
    await expect(
      run(
        future(function* () {
          throw e;
        }),
        { onUnhandledError: (err) => unhandled.push(err) },
      ),
    ).rejects.toBe(e);
    expect(unhandled).toEqual([]);
  });

  it("settles only when the root settles", async () => {
    const gate = new Gate<number>();
    const ex = new LocalExecutor();
    const result = track(
      ex.run(
        future(function* () {
          const h = spawn(
            future(function* () {
              for (let i = 0; i < 10; i++) yield* yieldNow();
              return 1;
            }),
          );
          return (yield* h) + (yield* gate);
        }),
      ),
    );
    for (let i = 0; i < 5; i++) await macrotask();
    expect(result.settled).toBe(false);
    expect(ex.tasks().map((t) => t.state)).toEqual(["idle"]);
    gate.resolve(2);
    for (let i = 0; i < 3 && !result.settled; i++) await macrotask();
    expect(result.settled).toBe(true);
    expect(result.value).toBe(3);
  });

  it("a root that never completes never settles", async () => {
    const result = track(run(pending()));
    for (let i = 0; i < 5; i++) await macrotask();
    expect(result.settled).toBe(false);
  });

  it("when the root ends with a value, leftover tasks are dropped and their finally blocks run", async () => {
    const log: string[] = [];
    let child: JoinHandle<void> | undefined;
    const value = await run(
      future(function* () {
        child = spawn(
          future(function* () {
            try {
              yield* pending();
            } finally {
              log.push("child cleanup");
            }
          }),
        );
        yield* yieldNow(); // let the child start
        log.push("root returns");
        return "v";
      }),
    );
    expect(value).toBe("v");
    expect(log).toEqual(["root returns", "child cleanup"]);
    expect(child?.isFinished).toBe(true);
  });

  it("when the root ends with an error, leftover tasks are dropped too", async () => {
    const log: string[] = [];
    const e = new Error("root failed");
    await expect(
      run(
        future(function* () {
          spawn(
            future(function* () {
              try {
                yield* pending();
              } finally {
                log.push("child cleanup");
              }
            }),
          );
          yield* yieldNow();
          throw e;
        }),
      ),
    ).rejects.toBe(e);
    expect(log).toEqual(["child cleanup"]);
  });

  it("leftover tasks spawned by a finally during shutdown are dropped as well (never polled)", async () => {
    const log: string[] = [];
    await run(
      future(function* () {
        spawn(
          future(function* () {
            try {
              yield* pending();
            } finally {
              spawn(
                future(function* () {
                  log.push("late task polled");
                }),
              );
              log.push("cleanup");
            }
          }),
        );
        yield* yieldNow();
      }),
    );
    await macrotask();
    expect(log).toEqual(["cleanup"]);
  });

  it("an awaited child's failure reaches the root as JoinError (isPanic, cause)", async () => {
    const e = new Error("child failed");
    const caught = await run(
      future(function* () {
        const h = spawn(
          future(function* () {
            yield* yieldNow();
            throw e;
          }),
          { name: "kid" },
        );
        try {
          yield* h;
          return undefined;
        } catch (err) {
          return err;
        }
      }),
    );
    expect(caught).toBeInstanceOf(JoinError);
    expect((caught as JoinError).isPanic).toBe(true);
    expect((caught as JoinError).cause).toBe(e);
    expect((caught as JoinError).message).toMatch(/kid/);
  });

  it("an executor can run a new root after the previous one finished", async () => {
    const ex = new LocalExecutor();
    await expect(ex.run(ready(1))).resolves.toBe(1);
    await expect(ex.run(ready(2))).resolves.toBe(2);
  });

  it("a second concurrent run on one executor is refused", async () => {
    const ex = new LocalExecutor();
    const gate = new Gate<number>();
    const first = ex.run(gate);
    await expect(ex.run(ready(1))).rejects.toThrow(/already running/);
    gate.resolve(9);
    await expect(first).resolves.toBe(9);
  });

  it("works on a manual executor too (run drives it)", async () => {
    const ex = new LocalExecutor({ manual: true });
    await expect(
      ex.run(
        future(function* () {
          const h = spawn(ready(4));
          yield* yieldNow();
          return yield* h;
        }),
      ),
    ).resolves.toBe(4);
  });

  it("a non-Future is a TypeError, thrown eagerly", () => {
    expect(() => run(42 as never)).toThrow(TypeError);
    expect(() => run(Promise.resolve(1) as never)).toThrow(/run\(fut\): expected a Future/);
    expect(() => new LocalExecutor().run({} as never)).toThrow(TypeError);
  });
});

describe("spawn", () => {
  it("outside any executor throws an Error saying so", () => {
    expect(() => spawn(ready(1))).toThrow(Error);
    expect(() => spawn(ready(1))).toThrow(/outside an executor/);
    expect(() => spawn(ready(1))).toThrow(/currentHandle\(\)/);
  });

  it("a non-Future is a TypeError (checked before the executor)", () => {
    expect(() => spawn(undefined as never)).toThrow(TypeError);
    expect(() => spawn((() => 1) as never)).toThrow(/spawn\(fut\): expected a Future/);
  });

  it("inside a task, never polls on the spot", async () => {
    let childRan = false;
    let seenBeforeYield: boolean | undefined;
    await run(
      future(function* () {
        const h = spawn(
          future(function* () {
            childRan = true;
          }),
        );
        seenBeforeYield = childRan;
        yield* h;
      }),
    );
    expect(seenBeforeYield).toBe(false);
    expect(childRan).toBe(true);
  });
});
