import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { BlockingError, QueueFullError } from "../../src/blocking/errors.js";
import { BlockingPool } from "../../src/blocking/pool.js";
import { future } from "../../src/core/async-block.js";
import { fromPromise } from "../../src/core/from-promise.js";
import { run, spawn } from "../../src/executor/spawn.js";
import { yieldNow } from "../../src/executor/yield-now.js";
import { CountingWaker, changed, gate, release, settle, TASKS } from "./helpers.js";

// Tests that need no special options share one thread (booting one from sources takes a while).
const shared = new BlockingPool({ filename: TASKS, maxThreads: 1 });
const pools: BlockingPool[] = [shared];
function pool(options: ConstructorParameters<typeof BlockingPool>[0] = {}): BlockingPool {
  const p = new BlockingPool({ filename: TASKS, maxThreads: 1, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(1).map((p) => p.close()));
});
afterAll(() => shared.close());

describe("BlockingPool", () => {
  it("starts no thread until a job is polled", async () => {
    const p = shared;
    const job = p.run<number>("add", [1, 2]);
    expect(p.threads).toBe(0);
    expect(await run(job)).toBe(3);
    expect(p.threads).toBe(1);
  });

  it("runs sync and async exports; results and arguments are structured-cloned", async () => {
    const p = shared;
    const input = { nested: [1, 2] };
    const [sum, later] = await run(
      future(function* () {
        const a = spawn(p.run<number>("add", [20, 22]));
        const b = spawn(p.run<number>("addLater", [1, 1]));
        return [yield* a, yield* b];
      }),
    );
    expect([sum, later]).toEqual([42, 2]);
    expect(input).toEqual({ nested: [1, 2] });
  });

  it("keeps the executor polling while a job blocks its thread", async () => {
    const p = shared;
    const g = gate();
    const result = await run(
      future(function* () {
        const job = spawn(p.run<string>("hold", [g, 0, "done"]));
        yield* fromPromise(() => changed(g, 0));
        let polls = 0;
        for (; polls < 50; polls++) yield* yieldNow();
        const stillRunning = Atomics.load(g, 0) === 1;
        release(g, 0);
        return { polls, stillRunning, value: yield* job };
      }),
    );
    expect(result).toEqual({ polls: 50, stillRunning: true, value: "done" });
  });

  it("moves transferred buffers in and out", async () => {
    const p = shared;
    const buffer = new ArrayBuffer(8);
    const back = await run(p.run<ArrayBuffer>("fillBytes", [buffer, 7], { transfer: [buffer] }));
    expect(buffer.byteLength).toBe(0);
    expect([...new Uint8Array(back)]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it("fails with BlockingError carrying what the job threw", async () => {
    const p = shared;
    const error = await run(p.run("fail", ["bad input"])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockingError);
    expect((error as Error).message).toBe('pool.run("fail") threw RangeError: bad input');
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect(await run(p.run("add", [1, 1]))).toBe(2);
  });

  it("explains unknown exports and results that cannot be cloned", async () => {
    const p = shared;
    const missing = await run(p.run("nope")).catch((e: Error) => e.message);
    expect(missing).toMatch(
      /has no exported function named "nope" \(its exported functions: .*add/,
    );
    const notFn = await run(p.run("notAFunction")).catch((e: Error) => e.message);
    expect(notFn).toMatch(/no exported function named "notAFunction"/);
    const uncloneable = await run(p.run("returnFunction")).catch((e: Error) => e.message);
    expect(uncloneable).toMatch(/the job's result could not be sent back from the worker/);
  });

  it("fails a job whose arguments cannot be cloned, at once", async () => {
    const p = shared;
    const error = await run(p.run("add", [() => 1, 2])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockingError);
    expect((error as Error).message).toMatch(/its arguments could not be sent to the worker/);
  });

  it("maxQueue counts jobs waiting for a thread; one more throws QueueFullError at once", async () => {
    const p = pool({ pipelineDepth: 1, maxQueue: 2 });
    const g = gate();
    const w = new CountingWaker();
    const running = p.run("hold", [g, 0]);
    const waiting = [p.run("add", [1, 1]), p.run("add", [2, 2])];
    expect(running.poll(w.cx)).toEqual({ pending: true });
    for (const f of waiting) f.poll(w.cx);
    expect(p.queued).toBe(2);
    const extra = p.run("add", [3, 3]);
    expect(() => extra.poll(w.cx)).toThrow(QueueFullError);
    waiting[0]?.drop();
    expect(p.queued).toBe(1);
    const again = p.run<number>("add", [4, 4]);
    again.poll(w.cx);
    expect(p.queued).toBe(2);
    release(g, 0);
    expect(await settle(running)).toBe("released");
    expect(await settle(waiting[1]!)).toBe(4);
    expect(await settle(again)).toBe(8);
  });

  it("close(): running jobs finish, waiting ones fail, later ones fail at once", async () => {
    const p = pool({ pipelineDepth: 2 });
    const g = gate();
    const w = new CountingWaker();
    const running = p.run("hold", [g, 0, "finished"]);
    const pipelined = p.run("add", [1, 1]);
    const queued = p.run("add", [2, 2]);
    for (const f of [running, pipelined, queued]) f.poll(w.cx);
    await changed(g, 0);
    const closed = p.close();
    expect(p.isClosed).toBe(true);
    await expect(settle(pipelined)).rejects.toThrow(/closed before this job started/);
    await expect(settle(queued)).rejects.toThrow(/closed before this job started/);
    release(g, 0);
    expect(await settle(running)).toBe("finished");
    await closed;
    expect(p.threads).toBe(0);
    await expect(run(p.run("add", [1, 1]))).rejects.toThrow(/the blocking pool is closed/);
    expect(p.close()).toBe(closed);
  });

  it("an idle thread exits after idleTimeoutMs; minThreads stay", async () => {
    const p = pool({ idleTimeoutMs: 0, maxThreads: 2, minThreads: 1 });
    const g = gate(2);
    let busyThreads = 0;
    await run(
      future(function* () {
        const a = spawn(p.run("hold", [g, 0]));
        const b = spawn(p.run("hold", [g, 1]));
        yield* fromPromise(() => Promise.all([changed(g, 0), changed(g, 1)]));
        // Both jobs are holding their threads now; once released, an idle timeout of 0 may
        // retire a thread at any moment, so count them here.
        busyThreads = p.threads;
        release(g, 0);
        release(g, 1);
        yield* a;
        yield* b;
      }),
    );
    expect(busyThreads).toBe(2);
    while (p.threads > 1) await new Promise((r) => setTimeout(r, 1));
    expect(p.threads).toBe(1);
  });

  it("an idle thread waits out an idleTimeoutMs longer than a host timer can", async () => {
    // Fake timers clamp a delay above 2^31−1 ms to 1 ms, as Node does; the system clock reads
    // the faked performance.now() to know how much of the wait is left.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const p = pool({ idleTimeoutMs: 3e9 });
      expect(await settle(p.run("add", [1, 1]))).toBe(2);
      expect(p.threads).toBe(1);
      vi.advanceTimersByTime(2 ** 31);
      expect(p.threads).toBe(1);
      vi.advanceTimersByTime(3e9 - 2 ** 31 - 1);
      expect(p.threads).toBe(1);
      vi.advanceTimersByTime(1);
      expect(p.threads).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("validates its arguments eagerly", () => {
    const p = shared;
    expect(() => p.run("")).toThrow(TypeError);
    expect(() => p.run("add", 1 as never)).toThrow(/args must be an array/);
    expect(() => p.run("add", [], { transfer: 1 as never })).toThrow(
      /options.transfer must be an array/,
    );
    expect(() => p.run("add", [], { terminateOnDrop: 1 as never })).toThrow(
      /terminateOnDrop must be a boolean/,
    );
    expect(() => new BlockingPool().run("add")).toThrow(/has no task module/);
  });
});
