/**
 * Node's AsyncLocalStorage contexts are carried into tasks (the Node host, src/node/host.ts): a
 * task spawned from a callback inside `als.run(store, …)` reads `store` at its first poll,
 * after `sleep`, after `fromPromise`, in its cleanup, and in the tasks it spawns.
 */
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { RT } from "../../src/core/runtime.js";
import { currentScope } from "../../src/core/task-scope.js";
import type { Host } from "../../src/executor/host.js";
import {
  currentHandle,
  fromPromise,
  future,
  type JoinHandle,
  LocalExecutor,
  oneshot,
  run,
  sleep,
  spawn,
  yieldNow,
} from "../../src/index.js";
import { installNodeHost } from "../../src/node/host.js";

const als = new AsyncLocalStorage<string>();

/** A task body that records what the store says at each step. */
const recorder = (log: (string | undefined)[]) =>
  future(function* () {
    log.push(als.getStore());
    yield* sleep(1);
    log.push(als.getStore());
    yield* fromPromise(() => new Promise((r) => setTimeout(r, 1)));
    log.push(als.getStore());
    const child = spawn(
      future(function* () {
        yield* yieldNow();
        return als.getStore();
      }),
    );
    log.push(`child: ${yield* child}`);
  });

describe("AsyncLocalStorage context in tasks", () => {
  it("a task spawned through a handle inside als.run keeps the store at every poll", async () => {
    const ex = new LocalExecutor();
    const logA: (string | undefined)[] = [];
    const logB: (string | undefined)[] = [];
    let a: JoinHandle<void> | undefined;
    let b: JoinHandle<void> | undefined;
    als.run("req-A", () => {
      a = ex.handle.spawn(recorder(logA));
    });
    als.run("req-B", () => {
      b = ex.handle.spawn(recorder(logB));
    });
    await a;
    await b;
    expect(logA).toEqual(["req-A", "req-A", "req-A", "child: req-A"]);
    expect(logB).toEqual(["req-B", "req-B", "req-B", "child: req-B"]);
    ex.shutdown();
  });

  it("run() called inside als.run carries the store to the root and its tasks", async () => {
    const log: (string | undefined)[] = [];
    await als.run("req-run", () => run(recorder(log)));
    expect(log).toEqual(["req-run", "req-run", "req-run", "child: req-run"]);
  });

  it("a dropped task's cleanup runs in its context", async () => {
    const ex = new LocalExecutor();
    const log: (string | undefined)[] = [];
    let h: JoinHandle<void> | undefined;
    als.run("req-drop", () => {
      h = ex.handle.spawn(
        future(function* () {
          try {
            yield* sleep(60_000);
          } finally {
            log.push(als.getStore());
          }
        }),
      );
    });
    await new Promise((r) => setTimeout(r, 1));
    (h as JoinHandle<void>).abort();
    await (h as JoinHandle<void>).then(
      () => undefined,
      () => undefined,
    );
    expect(log).toEqual(["req-drop"]);
    ex.shutdown();
  });

  it("a request handler pattern: each callback's task logs its own id", async () => {
    const log: string[] = [];
    await run(
      future(function* () {
        const handle = currentHandle();
        const done: Promise<void>[] = [];
        for (const id of ["r1", "r2", "r3"]) {
          // as an http server's "request" callback would, in its own context
          setTimeout(() => {
            als.run(id, () => {
              done.push(
                handle
                  .spawn(
                    future(function* () {
                      yield* sleep(Number(id.slice(1)));
                      log.push(`${id}:${als.getStore()}`);
                    }),
                  )
                  .then(() => undefined),
              );
            });
          }, 0);
        }
        while (done.length < 3) yield* sleep(1);
        yield* fromPromise(() => Promise.all(done));
      }),
    );
    expect(log.sort()).toEqual(["r1:r1", "r2:r2", "r3:r3"]);
  });

  it("outside any store, tasks carry nothing and read undefined", async () => {
    const log: (string | undefined)[] = [];
    await run(recorder(log));
    expect(log).toEqual([undefined, undefined, undefined, "child: undefined"]);
  });

  it("a task spawned outside any store does not see the store of a task that woke it", async () => {
    const seen: (string | undefined)[] = [];
    await run(
      future(function* () {
        const handle = currentHandle();
        const [tx, rx] = oneshot<void>();
        seen.push(als.getStore());
        setTimeout(() => {
          als.run("req-A", () => {
            handle.spawn(
              future(function* () {
                yield* fromPromise(() => new Promise((r) => setTimeout(r, 1)));
                tx.send(); // wakes the root from req-A's context
              }),
            );
          });
        }, 1);
        yield* rx;
        seen.push(als.getStore());
        yield* sleep(1);
        seen.push(als.getStore());
      }),
    );
    expect(seen).toEqual([undefined, undefined, undefined]);
  });

  it("an adapter an older copy probed (no isolate, no exit) is used as it is until the Node host is installed", async () => {
    const saved = RT.host;
    const older = {
      capture: () => undefined,
      run: <S, R>(_context: unknown, fn: (this: S) => R, self: S): R => fn.call(self),
    };
    RT.host = older;
    try {
      const value = await run(
        future(function* () {
          yield* sleep(1);
          return 1;
        }),
      );
      expect(value).toBe(1);
      expect(RT.host).toBe(older);
      installNodeHost();
      const upgraded = RT.host as Host;
      expect(typeof upgraded.isolate).toBe("function");
      expect(typeof upgraded.exit?.watch).toBe("function");
      installNodeHost();
      expect(RT.host).toBe(upgraded); // a second install (another entry point, another copy) keeps it
    } finally {
      RT.host = saved;
    }
  });

  it("without a host (a browser) nothing is captured or watched, and tasks still run", async () => {
    const saved = RT.host;
    const seen: unknown[] = [];
    const task = future(function* () {
      seen.push(currentScope()?.host, process.listenerCount("beforeExit"));
      yield* sleep(1);
      return "ran";
    });
    const before = process.listenerCount("beforeExit");
    RT.host = undefined;
    try {
      expect(await als.run("req-none", () => run(task))).toBe("ran");
      expect(seen).toEqual([undefined, before]);
    } finally {
      RT.host = saved;
    }
    // With the Node host, the same spawn captures the store and run() watches for the exit.
    seen.length = 0;
    await als.run("req-host", () =>
      run(
        future(function* () {
          seen.push(currentScope()?.host, process.listenerCount("beforeExit"));
        }),
      ),
    );
    expect(seen[0]).toBeInstanceOf(AsyncResource);
    expect(seen[1]).toBe(before + 1);
  });
});
