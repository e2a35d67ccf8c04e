// Drop semantics (tokio's): a dropped job that has not started never runs; a running one is not
// interrupted and its result is discarded, unless `terminateOnDrop` kills it with its thread.
import { afterAll, describe, expect, it } from "vitest";
import { BlockingPool } from "../../src/blocking/pool.js";
import {
  enterExecutor,
  exitExecutor,
  RuntimeContext,
  type ExternalTracker as Tracker,
} from "../../src/core/runtime.js";
import { CountingWaker, changed, gate, release, settle, TASKS } from "./helpers.js";

/** Enters a runtime context whose outside work goes to `tracker`; returns what to restore. */
const trackOutside = (tracker: Tracker) =>
  enterExecutor(new RuntimeContext({}, { external: tracker }));

const pool = new BlockingPool({ filename: TASKS, maxThreads: 1, pipelineDepth: 2 });
afterAll(() => pool.close());

describe("dropping a job", () => {
  it("never runs a job dropped while it waits, in the queue or pipelined on a thread", async () => {
    const w = new CountingWaker();
    const g = gate();
    const counter = gate(3);
    const blocker = pool.run("hold", [g, 0]);
    const pipelined = pool.run("count", [counter, 0]);
    const queued = pool.run("count", [counter, 1]);
    for (const f of [blocker, pipelined, queued]) f.poll(w.cx);
    expect(pool.queued).toBe(2); // one pipelined behind the blocker, one in the pool's queue
    await changed(g, 0);
    pipelined.drop();
    queued.drop();
    expect(pool.queued).toBe(0);
    release(g, 0);
    await settle(blocker);
    // Jobs run in order: once a later job ran, the dropped ones would have run before it.
    expect(await settle(pool.run("count", [counter, 2]))).toBe(1);
    expect([Atomics.load(counter, 0), Atomics.load(counter, 1)]).toEqual([0, 0]);
  });

  it("lets a dropped running job finish and discards its result", async () => {
    const w = new CountingWaker();
    const g = gate();
    const running = pool.run("hold", [g, 0]);
    running.poll(w.cx);
    await changed(g, 0);
    running.drop();
    const wakes = w.wakes;
    const next = pool.run<number>("add", [2, 3]);
    release(g, 0);
    expect(await settle(next, w)).toBe(5);
    expect(Atomics.load(g, 0)).toBe(2);
    expect(w.wakes).toBe(wakes + 1); // only `next` woke it, not the discarded job
  });

  it("terminateOnDrop kills a running job and re-queues the jobs behind it", async () => {
    const p = new BlockingPool({ filename: TASKS, maxThreads: 1 });
    const w = new CountingWaker();
    const g = gate();
    const first = await settle(p.run<number>("whichThread"));
    const doomed = p.run("hold", [g, 0], { terminateOnDrop: true });
    const behind = p.run<number>("add", [1, 1]);
    doomed.poll(w.cx);
    behind.poll(w.cx);
    await changed(g, 0);
    doomed.drop();
    expect(await settle(behind)).toBe(2);
    expect(await settle(p.run<number>("whichThread"))).not.toBe(first); // a new thread
    expect(Atomics.load(g, 0)).toBe(1); // the killed job never returned
    await p.close();
  });

  it("an idle thread steals a job waiting behind a long one", async () => {
    const p = new BlockingPool({ filename: TASKS, maxThreads: 2 });
    const w = new CountingWaker();
    const g = gate(2);
    const longA = p.run("hold", [g, 0]);
    const longB = p.run("hold", [g, 1]);
    const c = p.run<number>("add", [1, 1]); // pipelined behind longA
    const d = p.run<number>("add", [2, 2]); // pipelined behind longB
    for (const f of [longA, longB, c, d]) f.poll(w.cx);
    await Promise.all([changed(g, 0), changed(g, 1)]);
    release(g, 1);
    expect(await settle(longB)).toBe("released");
    expect(await settle(d)).toBe(4);
    // longA still holds its thread; c was stolen by the other one.
    expect(await settle(c)).toBe(2);
    expect(Atomics.load(g, 0)).toBe(1);
    release(g, 0);
    await settle(longA);
    await p.close();
  });

  it("announces outside work from submission until it settles or is dropped", async () => {
    let open = 0;
    const prev = trackOutside({ begin: () => open++, end: () => open-- });
    const w = new CountingWaker();
    const done = pool.run("add", [1, 1]);
    const dropped = pool.run("add", [1, 1]);
    try {
      done.poll(w.cx);
      dropped.poll(w.cx);
    } finally {
      exitExecutor(prev);
    }
    expect(open).toBe(2);
    dropped.drop();
    expect(open).toBe(1);
    await settle(done);
    expect(open).toBe(0);
  });
});
