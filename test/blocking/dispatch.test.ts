// How a job is dispatched (pipelined behind another, taken back, stolen by an idle thread,
// retried after a crash) is invisible to it: it runs once, with its own function and its own
// arguments. Real worker threads; every ordering is forced with gates, never with sleeps.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { BlockingError, QueueFullError } from "../../src/blocking/errors.js";
import { BlockingPool } from "../../src/blocking/pool.js";
import { select } from "../../src/combinators/select.js";
import { run } from "../../src/executor/spawn.js";
import { sleep } from "../../src/time/sleep.js";
import { CountingWaker, changed, gate, release, settle, TASKS } from "./helpers.js";

const pools: BlockingPool[] = [];
function pool(options: ConstructorParameters<typeof BlockingPool>[0] = {}): BlockingPool {
  const p = new BlockingPool({ filename: TASKS, maxThreads: 1, ...options });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const double = (x: number): number => x * 2;

describe("a function's source on a thread", () => {
  it("is still known after the job that carried it was dropped before it started", async () => {
    const p = pool({ pipelineDepth: 2 });
    const w = new CountingWaker();
    const g = gate();
    const blocker = p.run("hold", [g, 0]);
    const carrier = p.runFunction(double, [1]); // pipelined: carries double's source
    blocker.poll(w.cx);
    carrier.poll(w.cx);
    await changed(g, 0);
    carrier.drop(); // taken back: the thread skips it
    release(g, 0);
    await settle(blocker);
    expect(await settle(p.runFunction(double, [21]))).toBe(42);
  });

  it("is still known after a select dropped the job that carried it (issue 10's repro)", async () => {
    const p = pool({ pipelineDepth: 2 });
    const w = new CountingWaker();
    const g = gate();
    const busy = p.run("hold", [g, 0]);
    busy.poll(w.cx);
    await changed(g, 0);
    // The job waits behind `busy`, which cannot end before the gate opens: the sleep wins.
    const raced = await run(select(p.runFunction(double, [0]), sleep(5)));
    expect(raced.index).toBe(1);
    release(g, 0);
    await settle(busy);
    expect(await run(p.runFunction(double, [1]))).toBe(2);
  });

  it("is still known after an idle thread stole the job that carried it", async () => {
    const p = pool({ maxThreads: 2 });
    const w = new CountingWaker();
    const g = gate(3);
    const first = p.run("hold", [g, 0]); // thread 1
    const second = p.run("hold", [g, 1]); // thread 2
    first.poll(w.cx);
    second.poll(w.cx);
    await Promise.all([changed(g, 0), changed(g, 1)]);
    const carrier = p.runFunction(double, [1]); // pipelined on thread 1 (fewest jobs, first)
    carrier.poll(w.cx);
    release(g, 1);
    await settle(second);
    expect(await settle(carrier)).toBe(2); // stolen by thread 2; thread 1 will skip it
    const third = p.run("hold", [g, 2]); // the idle thread 2, which then cannot steal
    third.poll(w.cx);
    await changed(g, 2);
    release(g, 0);
    await settle(first);
    // Thread 1 is idle, or has only the skipped job left: either way it has the fewest jobs.
    expect(await settle(p.runFunction(double, [21]))).toBe(42);
    release(g, 2);
    await settle(third);
  });

  it("three batches of plain spawnBlocking jobs all succeed in a fresh process", async () => {
    const script = fileURLToPath(new URL("../fixtures/spawn-blocking-three-runs.ts", TASKS));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
      cwd: fileURLToPath(new URL("../..", TASKS)),
    });
    expect(JSON.parse(stdout)).toEqual({ shared: true, four: true });
  });
});

describe("a transferred buffer", () => {
  it("is never posted twice when an idle thread could take the job", async () => {
    const p = pool({ maxThreads: 2 });
    const w = new CountingWaker();
    const g = gate(2);
    const first = p.run("hold", [g, 0]);
    const second = p.run("hold", [g, 1]);
    first.poll(w.cx);
    second.poll(w.cx);
    await Promise.all([changed(g, 0), changed(g, 1)]);
    const buffer = new ArrayBuffer(8);
    const fill = p.run<ArrayBuffer>("fillBytes", [buffer, 7], { transfer: [buffer] });
    fill.poll(w.cx);
    release(g, 1);
    await settle(second);
    const back = await settle(fill);
    expect([...new Uint8Array(back)]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
    release(g, 0);
    await settle(first);
  });

  it("is never posted twice when the thread ahead of the job crashes", async () => {
    const p = pool();
    const w = new CountingWaker();
    const g = gate();
    expect(await settle(p.run("add", [0, 0]))).toBe(0); // a warm thread
    const culprit = p.run("holdThenExit", [g, 0, 3]);
    culprit.poll(w.cx);
    await changed(g, 0);
    const buffer = new ArrayBuffer(4);
    const fill = p.run<ArrayBuffer>("fillBytes", [buffer, 9], { transfer: [buffer] });
    fill.poll(w.cx);
    release(g, 0);
    await expect(settle(culprit)).rejects.toThrow(/exited with code 3 while running it/);
    expect([...new Uint8Array(await settle(fill))]).toEqual([9, 9, 9, 9]);
  });
});

describe("a crash", () => {
  it("retries the job behind a dropped first job that killed a new thread", async () => {
    const p = pool();
    const w = new CountingWaker();
    const g = gate();
    const culprit = p.run("holdThenExit", [g, 0, 3]); // first job of a new thread
    const innocent = p.run<number>("add", [2, 3]);
    culprit.poll(w.cx);
    innocent.poll(w.cx);
    await changed(g, 0);
    culprit.drop();
    release(g, 0);
    expect(await settle(innocent)).toBe(5);
  });

  it("terminateOnDrop never kills the job that started after the dropped one finished", async () => {
    const p = pool();
    const w = new CountingWaker();
    const g = gate(2);
    expect(await settle(p.run("add", [0, 0]))).toBe(0);
    const doomed = p.run("hold", [g, 0, "done"], { terminateOnDrop: true });
    const next = p.run("hold", [g, 1, "next"]);
    doomed.poll(w.cx);
    next.poll(w.cx);
    await changed(g, 0);
    release(g, 0);
    // Block this thread until `next` runs, so `doomed`'s reply is still undelivered when it is
    // dropped: the pool cannot tell yet that it finished.
    Atomics.wait(g, 1, 0);
    doomed.drop();
    release(g, 1);
    expect(await settle(next)).toBe("next");
  });

  it("terminateOnDrop never loses the answer of a job that finished before the killed one", async () => {
    const p = pool();
    const w = new CountingWaker();
    const g = gate();
    expect(await settle(p.run("add", [0, 0]))).toBe(0);
    const first = p.run<number>("add", [1, 2]);
    const doomed = p.run("hold", [g, 0], { terminateOnDrop: true });
    first.poll(w.cx);
    doomed.poll(w.cx);
    // Block this thread until `doomed` runs: `first` has finished, its reply undelivered.
    Atomics.wait(g, 0, 0);
    doomed.drop();
    expect(await settle(first)).toBe(3);
    expect(await settle(p.run<number>("add", [2, 2]))).toBe(4);
  });
});

describe("maxQueue", () => {
  it("counts jobs waiting in a thread's pipeline too", async () => {
    const p = pool({ maxQueue: 1 });
    const w = new CountingWaker();
    const g = gate();
    const running = p.run("hold", [g, 0]);
    const waiting = p.run<number>("add", [1, 1]);
    running.poll(w.cx);
    waiting.poll(w.cx);
    expect(p.queued).toBe(1);
    const third = p.run("add", [2, 2]);
    expect(() => third.poll(w.cx)).toThrow(QueueFullError);
    waiting.drop();
    expect(p.queued).toBe(0);
    const again = p.run<number>("add", [3, 3]);
    again.poll(w.cx);
    expect(() => p.run("add", [4, 4]).poll(w.cx)).toThrow(QueueFullError);
    release(g, 0);
    await settle(running);
    expect(await settle(again)).toBe(6);
  });
});

describe("error labels", () => {
  it("name pool.runFunction jobs as such", async () => {
    const p = pool();
    const error = await settle(
      p.runFunction(
        (m: string) => {
          throw new RangeError(m);
        },
        ["bad"],
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockingError);
    expect((error as Error).message).toBe("pool.runFunction(anonymous) threw RangeError: bad");
  });

  it("say which call needs a self-contained function", async () => {
    const p = pool();
    const factor = 3;
    const error = await settle(p.runFunction((x: number) => x * factor, [2])).catch(
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^pool\.runFunction\(anonymous\) threw ReferenceError: factor is not/);
    expect(error).toMatch(/A function run by pool\.runFunction must be self-contained/);
  });
});
