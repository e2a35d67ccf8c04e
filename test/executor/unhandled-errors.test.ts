import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { future } from "../../src/core/async-block.js";
import { AwaitDuringDropError } from "../../src/core/errors.js";
import { pending } from "../../src/core/poll-fn.js";
import { reportUnhandled } from "../../src/core/unhandled.js";
import { JoinSet } from "../../src/executor/join-set.js";
import { LocalExecutor, type TaskInfo } from "../../src/executor/local-executor.js";
import { run, spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { Gate, macrotask } from "../core/helpers.js";

function recording(manual = true) {
  const calls: { error: unknown; task: TaskInfo | undefined }[] = [];
  const ex = new LocalExecutor({
    manual,
    onUnhandledError: (error, task) => calls.push({ error, task }),
  });
  return { ex, calls };
}

const failing = (e: unknown, yields = 1) =>
  future(function* () {
    for (let i = 0; i < yields; i++) yield* yieldNow();
    throw e;
  });

describe("onUnhandledError", () => {
  it("gets a detached task's failure when it happens, exactly once, with the task's info", () => {
    const { ex, calls } = recording();
    const e = new Error("detached");
    const h = ex.spawn(failing(e), { name: "bg" });
    h.drop();
    ex.runUntilStalled();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.error).toBe(e);
    expect(calls[0]?.task).toMatchObject({ id: h.id, name: "bg", state: "done" });
    ex.shutdown();
    ex.shutdown();
    expect(calls).toHaveLength(1);
  });

  it("gets a failure whose handle was dropped after the failure, once, at the drop", () => {
    const { ex, calls } = recording();
    const e = new Error("late drop");
    const h = ex.spawn(failing(e, 0));
    ex.runUntilStalled();
    expect(calls).toHaveLength(0);
    h.drop();
    expect(calls.map((c) => c.error)).toEqual([e]);
    ex.shutdown();
    expect(calls).toHaveLength(1);
  });

  it("gets an unawaited failed task's error at shutdown, exactly once, not before", () => {
    const { ex, calls } = recording();
    const e = new Error("never awaited");
    const h = ex.spawn(failing(e));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(calls).toHaveLength(0); // the handle is still held: someone may await it
    ex.shutdown();
    expect(calls.map((c) => c.error)).toEqual([e]);
    ex.shutdown();
    h.drop();
    expect(calls).toHaveLength(1);
  });

  it("under run(): an unawaited failure is reported when the root ends", async () => {
    const calls: unknown[] = [];
    const e = new Error("ignored child");
    let reportedBeforeRootEnd = -1;
    await run(
      future(function* () {
        const h = spawn(failing(e));
        yield* yieldNow();
        yield* yieldNow();
        expect(h.isFinished).toBe(true);
        reportedBeforeRootEnd = calls.length;
        return 1;
      }),
      { onUnhandledError: (err) => calls.push(err) },
    );
    expect(reportedBeforeRootEnd).toBe(0);
    expect(calls).toEqual([e]);
  });

  it("does not get failures that were observed through the handle", async () => {
    const calls: unknown[] = [];
    await run(
      future(function* () {
        const h = spawn(failing(new Error("seen")));
        try {
          yield* h;
        } catch {
          // observed
        }
      }),
      { onUnhandledError: (err) => calls.push(err) },
    );
    expect(calls).toEqual([]);
  });

  it("gets an error raised while dropping a leftover task (a throwing finally)", async () => {
    const calls: { error: unknown; task: TaskInfo | undefined }[] = [];
    const e = new Error("cleanup failed");
    await run(
      future(function* () {
        spawn(
          future(function* () {
            try {
              yield* pending();
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: testing a throwing finally
              throw e;
            }
          }),
          { name: "leftover" },
        );
        yield* yieldNow();
      }),
      { onUnhandledError: (error, task) => calls.push({ error, task }) },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.error).toBe(e);
    expect(calls[0]?.task?.name).toBe("leftover");
  });

  it("gets AwaitDuringDropError when an aborted task's finally tries to yield*, and nothing hangs", () => {
    const { ex, calls } = recording();
    const cleanup = new Gate("cleanup");
    const h = ex.spawn(
      future(function* () {
        try {
          yield* pending();
        } finally {
          yield* cleanup;
        }
      }),
    );
    ex.runUntilStalled();
    h.abort();
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.error).toBeInstanceOf(AwaitDuringDropError);
    expect(cleanup.polls).toBe(0);
    expect(ex.tasks()).toEqual([]);
  });

  it("gets errors reported through reportUnhandled while one of its tasks is polled", () => {
    const { ex, calls } = recording();
    const other = recording();
    const e = new Error("from a leaf");
    ex.spawn(
      future(function* () {
        reportUnhandled(e);
      }),
      { name: "reporter" },
    );
    ex.runUntilStalled();
    expect(calls.map((c) => c.error)).toEqual([e]);
    expect(calls[0]?.task?.name).toBe("reporter");
    expect(other.calls).toEqual([]);
  });

  it("a handler that throws does not break the executor (its error goes to the host)", async () => {
    const ex = new LocalExecutor({
      manual: true,
      onUnhandledError: () => {
        throw new Error("handler broke");
      },
    });
    const h = ex.spawn(failing(new Error("x"), 0));
    h.drop();
    let afterwards = false;
    ex.spawn(
      future(function* () {
        afterwards = true;
      }),
    );
    const seen = await catchingHostRejections(async () => {
      ex.runUntilStalled();
      await macrotask();
    });
    expect(afterwards).toBe(true);
    expect(seen.map((x) => (x as Error).message)).toEqual(["handler broke"]);
  });
});

/** Runs `fn` with the host's unhandled rejections routed to an array (test runner's restored). */
async function catchingHostRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const saved = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const seen: unknown[] = [];
  const listener = (err: unknown) => seen.push(err);
  process.on("unhandledRejection", listener);
  try {
    await fn();
  } finally {
    process.off("unhandledRejection", listener);
    for (const l of saved) process.on("unhandledRejection", l as (e: unknown) => void);
  }
  return seen;
}

describe("without onUnhandledError", () => {
  it("a detached failure behaves like an unhandled rejection in the host (child process)", () => {
    const fixture = fileURLToPath(new URL("./fixtures/default-unhandled.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--import", "tsx", fixture], {
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(child.stderr).toContain("detached task failure 7f3a");
    expect(child.status).not.toBe(0);
    expect(child.stdout).not.toContain("still alive");
  });

  it("an error raised while dropping becomes an unhandled rejection (in-process)", async () => {
    const e = new Error("finally threw");
    let value: string | undefined;
    const seen = await catchingHostRejections(async () => {
      value = await run(
        future(function* () {
          spawn(
            future(function* () {
              try {
                yield* pending();
              } finally {
                // biome-ignore lint/correctness/noUnsafeFinally: testing a throwing finally
                throw e;
              }
            }),
          );
          yield* yieldNow();
          return "ok";
        }),
      );
      await macrotask();
    });
    expect(value).toBe("ok");
    expect(seen).toEqual([e]);
  });
});

describe("onUnhandledError, more sources", () => {
  it("gets the error of a future whose drop() throws when its task is aborted", () => {
    const { ex, calls } = recording();
    const e = new Error("drop threw");
    const bad = pending<void>();
    bad.drop = () => {
      throw e;
    };
    const h = ex.spawn(bad, { name: "bad-drop" });
    ex.runUntilStalled();
    h.abort();
    expect(() => ex.runUntilStalled()).not.toThrow();
    expect(h.isFinished).toBe(true);
    expect(calls.map((c) => c.error)).toEqual([e]);
    expect(calls[0]?.task?.name).toBe("bad-drop");
  });

  it("gets a JoinSet task's failure at shutdown when nobody joined it", () => {
    const { ex, calls } = recording();
    const set = new JoinSet<number>(ex);
    const e = new Error("in set");
    set.spawn(failing(e, 0));
    ex.runUntilStalled();
    expect(calls).toEqual([]);
    ex.shutdown();
    expect(calls.map((c) => c.error)).toEqual([e]);
  });
});
