// Each fault fails only its own job with BlockingError (cause attached), the thread is
// replaced, and the jobs pipelined behind the culprit are re-queued, not lost or failed.
import { afterEach, describe, expect, it } from "vitest";
import { BlockingError } from "../../src/blocking/errors.js";
import { WorkerExit } from "../../src/blocking/job-errors.js";
import { BlockingPool } from "../../src/blocking/pool.js";
import { CountingWaker, changed, gate, release, settle, TASKS } from "./helpers.js";

const pools: BlockingPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Runs `culprit` first on a 1-thread pool with two jobs pipelined behind it. */
async function faultWithPipeline(
  culprit: string,
  args: unknown[],
  options: ConstructorParameters<typeof BlockingPool>[0] = {},
) {
  const pool = new BlockingPool({ filename: TASKS, maxThreads: 1, ...options });
  pools.push(pool);
  const w = new CountingWaker();
  // Warm the thread so the culprit is not confused with a thread that failed to start.
  expect(await settle(pool.run("add", [0, 0]))).toBe(0);
  const g = gate();
  const blocker = pool.run("hold", [g, 0]);
  const bad = pool.run(culprit, args);
  const next = [pool.run<number>("add", [1, 2]), pool.run<number>("addLater", [3, 4])];
  for (const f of [blocker, bad, ...next]) f.poll(w.cx);
  await changed(g, 0);
  release(g, 0);
  expect(await settle(blocker)).toBe("released");
  const error = await settle(bad).then(
    () => undefined,
    (e: unknown) => e,
  );
  const results = [await settle(next[0]!), await settle(next[1]!)];
  const after = await settle(pool.run<number>("add", [5, 5]));
  return { error: error as BlockingError, results, after, pool };
}

describe("faults", () => {
  it("a job that throws fails alone; the thread stays", async () => {
    const { error, results, after, pool } = await faultWithPipeline("fail", ["boom"]);
    expect(error).toBeInstanceOf(BlockingError);
    expect((error.cause as Error).message).toBe("boom");
    expect(results).toEqual([3, 7]);
    expect(after).toBe(10);
    expect(pool.threads).toBe(1);
  });

  it("process.exit in a job fails it alone; the jobs behind it run on a new thread", async () => {
    const { error, results, after } = await faultWithPipeline("exit", [3]);
    expect(error).toBeInstanceOf(BlockingError);
    expect(error.message).toMatch(/exited with code 3 while running it/);
    expect(error.cause).toBeInstanceOf(WorkerExit);
    expect((error.cause as WorkerExit).code).toBe(3);
    expect(results).toEqual([3, 7]);
    expect(after).toBe(10);
  });

  it("an uncaught asynchronous error fails the job that was running", async () => {
    const { error, results, after } = await faultWithPipeline("crashLater", ["async boom"]);
    expect(error).toBeInstanceOf(BlockingError);
    expect(error.message).toMatch(/crashed with an uncaught error: async boom/);
    expect((error.cause as Error).message).toBe("async boom");
    expect(results).toEqual([3, 7]);
    expect(after).toBe(10);
  });

  it("exceeding resourceLimits fails the job alone", async () => {
    const { error, results, after } = await faultWithPipeline("hog", [], {
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    expect(error).toBeInstanceOf(BlockingError);
    expect(error.message).toMatch(/ran out of memory \(resourceLimits\)/);
    expect((error.cause as { code?: string }).code).toBe("ERR_WORKER_OUT_OF_MEMORY");
    expect(results).toEqual([3, 7]);
    expect(after).toBe(10);
  });

  it("a thread that cannot start fails its jobs instead of restarting forever", async () => {
    // 2 MB of heap is not enough to boot a thread (and tsx): it dies before answering anything.
    const pool = new BlockingPool({
      filename: TASKS,
      maxThreads: 1,
      resourceLimits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 },
    });
    pools.push(pool);
    const error = await settle(pool.run("add", [1, 1])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockingError);
    expect((error as Error).message).toMatch(/the worker thread could not start/);
    expect(pool.threads).toBe(0);
  });

  it("a task module that fails to load fails the job; the thread keeps working", async () => {
    const pool = new BlockingPool({
      filename: new URL("./does-not-exist.mjs", TASKS),
      maxThreads: 1,
    });
    pools.push(pool);
    await expect(settle(pool.run("add", [1, 1]))).rejects.toThrow(BlockingError);
    expect(pool.threads).toBe(1);
    expect(await settle(pool.runFunction((a: number) => a * 2, [21]))).toBe(42);
  });
});
