/**
 * TaskTracker: counting tracked tasks, close/reopen, wait() under a deadline, and the graceful
 * shutdown sequence, stepped by hand or on virtual time.
 */
import { describe, expect, it } from "vitest";
import {
  CancellationToken,
  future,
  JoinError,
  LocalExecutor,
  Poll,
  run,
  sleep,
  TaskTracker,
  TimeoutError,
  timeout,
  yieldNow,
} from "../../src/index.js";
import { SimExecutor } from "../../src/testing.js";
import { countingContext, Gate } from "../core/helpers.js";

describe("TaskTracker", () => {
  it("size counts tracked tasks until each finishes with a value, an error or a drop", () => {
    const ex = new LocalExecutor({ manual: true, onUnhandledError: () => {} });
    const tracker = new TaskTracker(ex);
    const ok = new Gate<number>();
    const failing = new Gate<number>();
    const dropped = new Gate<number>();
    tracker.spawn(ok);
    tracker.spawn(failing);
    const h = tracker.spawn(dropped);
    expect(tracker.size).toBe(3);
    ex.runUntilStalled();
    expect(tracker.size).toBe(3);
    ok.resolve(1);
    ex.runUntilStalled();
    expect(tracker.size).toBe(2);
    failing.reject(new Error("boom"));
    ex.runUntilStalled();
    expect(tracker.size).toBe(1);
    h.abort();
    ex.runUntilStalled();
    expect(tracker.size).toBe(0);
    expect(dropped.drops).toBe(1);
    ex.shutdown();
  });

  it("wait() completes only once the tracker is closed and empty", () => {
    const ex = new LocalExecutor({ manual: true });
    const tracker = new TaskTracker(ex);
    const gate = new Gate();
    tracker.spawn(gate);
    const events: string[] = [];
    ex.spawn(
      future(function* () {
        yield* tracker.wait();
        events.push("waited");
      }),
    );
    ex.runUntilStalled();
    gate.resolve();
    ex.runUntilStalled();
    expect(tracker.size).toBe(0);
    expect(events).toEqual([]); // empty but still open
    expect(tracker.close()).toBe(true);
    expect(tracker.close()).toBe(false);
    ex.runUntilStalled();
    expect(events).toEqual(["waited"]);
    ex.shutdown();
  });

  it("wakes every waiter when the last task finishes after close()", () => {
    const ex = new LocalExecutor({ manual: true });
    const tracker = new TaskTracker(ex);
    const gate = new Gate();
    tracker.spawn(gate);
    tracker.close();
    let woken = 0;
    for (let i = 0; i < 3; i++) {
      ex.spawn(
        future(function* () {
          yield* tracker.wait();
          woken++;
        }),
      );
    }
    ex.runUntilStalled();
    expect(woken).toBe(0);
    gate.resolve();
    ex.runUntilStalled();
    expect(woken).toBe(3);
    ex.shutdown();
  });

  it("a closed, empty tracker's wait() is ready on its first poll; a second wait() too", () => {
    const tracker = new TaskTracker();
    tracker.close();
    const { cx, waker } = countingContext();
    expect(tracker.wait().poll(cx)).toEqual({ value: undefined });
    expect(tracker.wait().poll(cx)).toEqual({ value: undefined });
    expect(waker.wakeCount).toBe(0);
  });

  it("reopen() before a woken waiter runs keeps it waiting", () => {
    const tracker = new TaskTracker();
    const wait = tracker.wait();
    const { cx, waker } = countingContext();
    expect(wait.poll(cx)).toBe(Poll.pending);
    expect(wait.poll(cx)).toBe(Poll.pending);
    tracker.close();
    expect(waker.wakeCount).toBe(1);
    expect(tracker.reopen()).toBe(true);
    expect(tracker.reopen()).toBe(false);
    expect(tracker.isClosed).toBe(false);
    expect(wait.poll(cx)).toBe(Poll.pending);
    tracker.close();
    expect(waker.wakeCount).toBe(2);
    expect(wait.poll(cx)).toEqual({ value: undefined });
  });

  it("a dropped wait() is unregistered and not woken", () => {
    const tracker = new TaskTracker();
    const wait = tracker.wait();
    const { cx, waker } = countingContext();
    wait.poll(cx);
    wait.drop();
    tracker.close();
    expect(waker.wakeCount).toBe(0);
  });

  it("track() counts a future spawned elsewhere, e.g. through a Handle", async () => {
    const ex = new LocalExecutor();
    const tracker = new TaskTracker();
    const h = ex.handle.spawn(
      tracker.track(
        future(function* () {
          yield* yieldNow();
          return 5;
        }),
      ),
    );
    expect(tracker.size).toBe(1);
    expect(await h).toBe(5);
    expect(tracker.size).toBe(0);
    ex.shutdown();
  });

  it("a tracked future dropped before its first poll stops being counted", () => {
    const tracker = new TaskTracker();
    const gate = new Gate();
    const tracked = tracker.track(gate);
    expect(tracker.size).toBe(1);
    tracked.drop();
    tracked.drop();
    expect(tracker.size).toBe(0);
    expect(gate.drops).toBe(1);
  });

  it("graceful shutdown: cancel, let tasks clean up asynchronously, wait under a deadline", async () => {
    const sim = new SimExecutor({ seed: 3 });
    const log: string[] = [];
    await sim.run(
      future(function* () {
        const shutdown = new CancellationToken();
        const tracker = new TaskTracker();
        for (const cleanupMs of [10, 20, 30]) {
          tracker.spawn(
            future(function* () {
              yield* shutdown.cancelled();
              yield* sleep(cleanupMs); // async cleanup as an ordinary task
              log.push(`cleaned ${cleanupMs}`);
            }),
          );
        }
        shutdown.cancel("SIGTERM");
        tracker.close();
        yield* timeout(100, tracker.wait());
        log.push(`all done, ${tracker.size} left`);
      }),
    );
    expect(log).toEqual(["cleaned 10", "cleaned 20", "cleaned 30", "all done, 0 left"]);
  });

  it("the deadline expires while a task is stuck; the rest is dropped and its finally runs", async () => {
    const sim = new SimExecutor({ seed: 1 });
    const log: string[] = [];
    const outcome = await sim.run(
      future(function* () {
        const tracker = new TaskTracker();
        const stuck = tracker.spawn(
          future(function* () {
            try {
              yield* sleep(1_000_000);
            } finally {
              log.push("stuck task dropped");
            }
          }),
        );
        tracker.close();
        try {
          yield* timeout(50, tracker.wait());
          return "drained";
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          stuck.abort();
          yield* yieldNow();
          return `deadline, ${tracker.size} left`;
        }
      }),
    );
    expect(outcome).toBe("deadline, 0 left");
    expect(log).toEqual(["stuck task dropped"]);
  });

  it("spawn outside an executor without one given throws; bad arguments are TypeErrors", () => {
    expect(() => new TaskTracker().spawn(new Gate())).toThrow(/outside an executor/);
    expect(() => new TaskTracker({} as never)).toThrow(TypeError);
    expect(() => new TaskTracker().spawn(42 as never)).toThrow(TypeError);
    expect(() => new TaskTracker().track({} as never)).toThrow(TypeError);
  });

  it("the handle of a tracked task still reports failure", async () => {
    const tracker = new TaskTracker();
    const e = new Error("bad");
    const err = await run(
      future(function* () {
        const h = tracker.spawn(
          future(function* () {
            yield* yieldNow();
            throw e;
          }),
        );
        try {
          yield* h;
          return undefined;
        } catch (error) {
          return error;
        }
      }),
    );
    expect(err).toBeInstanceOf(JoinError);
    expect((err as JoinError).cause).toBe(e);
    expect(tracker.size).toBe(0);
  });
});
