// The Dispatcher over in-process fake threads (each runs the real WorkerRuntime): orderings
// that real threads make rare, forced step by step.
import { describe, expect, it } from "vitest";
import { Dispatcher } from "../../src/blocking/dispatcher.js";
import { functionInfo } from "../../src/blocking/function-source.js";
import { BlockingJob, VIA_RUN, VIA_RUN_FUNCTION } from "../../src/blocking/job.js";
import { type BlockingPoolOptions, poolSettings } from "../../src/blocking/pool-options.js";
import { Context } from "../../src/core/context.js";
import { Waker } from "../../src/core/waker.js";
import { FakePlatform, type FakeThread } from "./fake-threads.js";

const twice = functionInfo((id: number, runs: Int32Array) => {
  Atomics.add(runs, id, 1);
  return id * 2;
}, "test");

/** A dispatcher over fake threads, and jobs that count their runs. */
function setup(options: BlockingPoolOptions) {
  const platform = new FakePlatform();
  const dispatcher = new Dispatcher(
    poolSettings({ filename: "file:///fake/tasks.js", ...options }),
    () => platform,
  );
  const runs = new Int32Array(new SharedArrayBuffer(64 * 4));
  let next = 0;
  const submit = (kind: "twice" | "echo" | "hold", terminateOnDrop = false) => {
    const id = next++;
    const fn = kind === "twice" ? twice : undefined;
    const job = new BlockingJob<unknown>(
      dispatcher,
      fn === undefined ? VIA_RUN : VIA_RUN_FUNCTION,
      fn,
      kind,
      [id, runs, null],
      undefined,
      terminateOnDrop,
    );
    let wakes = 0;
    const cx = Context.from(Waker.from({ wake: () => wakes++ }));
    job.poll(cx);
    return {
      job,
      get wakes() {
        return wakes;
      },
      get runs() {
        return Atomics.load(runs, id);
      },
      outcome: () => {
        try {
          return job.poll(cx);
        } catch (error) {
          return { error: (error as Error).message };
        }
      },
    };
  };
  const thread = (i: number) => platform.threads[i] as FakeThread;
  return { platform, dispatcher, submit, thread };
}

describe("Dispatcher: stealing", () => {
  it("never takes a job from a booted thread about to run it, so no job is passed around forever", () => {
    const t = setup({ maxThreads: 2, pipelineDepth: 1 });
    const a = t.submit("twice"); // thread 0
    const b = t.submit("twice"); // thread 1
    const [t0, t1] = [t.thread(0), t.thread(1)];
    t0.step();
    t1.step(); // both booted
    t0.step();
    t0.deliver(); // `a` answered: thread 0 is idle, thread 1 has not taken `b` in yet
    expect(a.outcome()).toEqual({ value: 0 });
    // Each thread in turn takes its messages in and answers: if an idle thread took `b` from
    // one about to run it, the two would hand `b` back and forth and never run it.
    for (let i = 0; i < 4 && b.wakes === 0; i++) {
      for (const th of [t1, t0]) {
        th.step();
        th.deliver();
      }
    }
    expect(b.outcome()).toEqual({ value: 2 });
    expect(b.runs).toBe(1);
    expect(t0.handed.has(1)).toBe(false);
  });

  it("takes the first job of a thread that is still booting", () => {
    const t = setup({ maxThreads: 2, pipelineDepth: 1 });
    const a = t.submit("twice");
    const b = t.submit("twice");
    const [t0, t1] = [t.thread(0), t.thread(1)];
    t0.step();
    t0.step();
    t0.deliver(); // thread 0 idle; thread 1 has not booted yet
    expect(a.outcome()).toEqual({ value: 0 });
    expect(t0.handed.has(1)).toBe(true);
    t0.step();
    t0.deliver();
    expect(b.outcome()).toEqual({ value: 2 });
    t1.step();
    t1.step(); // boots, skips `b`
    t1.deliver();
    expect(b.runs).toBe(1);
    expect(t.dispatcher.waiting).toBe(0);
  });
});

describe("Dispatcher: terminateOnDrop", () => {
  it("keeps the answers of the jobs that finished ahead of the killed one", () => {
    const t = setup({ maxThreads: 1, pipelineDepth: 3 });
    const a = t.submit("echo");
    const doomed = t.submit("hold", true);
    const c = t.submit("twice");
    const t0 = t.thread(0);
    t0.step(); // boots
    t0.step(); // runs `a`: its reply is on the way
    t0.step(); // starts `doomed`
    doomed.job.drop();
    expect(t0.state).toBe("up"); // not yet: `a`'s reply is still to come
    expect(t.dispatcher.waiting).toBe(1); // `c`, taken back
    t0.deliver();
    expect(a.outcome()).toEqual({ value: ["echo", 0, -1, -1] });
    expect(t0.state).toBe("terminated");
    const t1 = t.thread(1);
    t1.step();
    t1.step();
    t1.deliver();
    expect(c.outcome()).toEqual({ value: 4 });
    expect([doomed.runs, c.runs, t0.handed.has(2)]).toEqual([1, 1, true]);
    expect(t.dispatcher.waiting).toBe(0);
  });

  it("terminates at once when the killed job is the oldest in flight", () => {
    const t = setup({ maxThreads: 1, pipelineDepth: 2 });
    const doomed = t.submit("hold", true);
    const b = t.submit("twice");
    const t0 = t.thread(0);
    t0.step();
    t0.step();
    doomed.job.drop();
    expect(t0.state).toBe("terminated");
    const t1 = t.thread(1);
    t1.step();
    t1.step();
    t1.deliver();
    expect(b.outcome()).toEqual({ value: 2 });
    expect(b.runs).toBe(1);
  });
});
