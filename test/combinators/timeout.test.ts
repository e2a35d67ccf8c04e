import { describe, expect, it } from "vitest";
import {
  future,
  LocalExecutor,
  ManualClock,
  PollAfterReadyError,
  pending,
  ready,
  sleep,
  TimeoutError,
  timeout,
} from "../../src/index.js";
import { driverOf } from "../time/driver-of.js";
import { contextOf, countingWaker, Leaf } from "./helpers.js";

function setup() {
  const clock = new ManualClock();
  const ex = new LocalExecutor({ manual: true, clock: clock });
  const driver = driverOf(ex);
  return { clock, ex, driver };
}

describe("timeout", () => {
  it("gives the value when the future wins and cancels its timer", async () => {
    const { clock, ex, driver } = setup();
    const leaf = new Leaf<string>("op");
    const h = ex.spawn(timeout(1000, leaf));
    ex.runUntilStalled();
    expect(driver.size).toBe(1);
    clock.advance(999);
    leaf.resolve("ok");
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(driver.size).toBe(0);
    expect(clock.nextAlarm === undefined || driver.size === 0).toBe(true);
    await expect(ex.run(h)).resolves.toBe("ok");
  });

  it("throws TimeoutError after dropping the future when time runs out", () => {
    const { clock, ex, driver } = setup();
    const log: string[] = [];
    let caught: unknown;
    const h = ex.spawn(
      future(function* () {
        try {
          yield* timeout(
            500,
            future(function* () {
              try {
                yield* pending();
              } finally {
                log.push("inner cleanup");
              }
            }),
          );
        } catch (e) {
          caught = e;
          log.push("caught");
        }
      }),
    );
    ex.runUntilStalled();
    clock.advance(499);
    ex.runUntilStalled();
    expect(log).toEqual([]);
    clock.advance(1);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(log).toEqual(["inner cleanup", "caught"]);
    expect(caught).toBeInstanceOf(TimeoutError);
    expect((caught as TimeoutError).ms).toBe(500);
    expect(driver.size).toBe(0);
  });

  it("polls the future first: on a tie the future wins", () => {
    const { clock, ex } = setup();
    const h = ex.spawn(
      timeout(
        100,
        future(function* () {
          yield* sleep(100);
          return "in time";
        }),
      ),
    );
    ex.runUntilStalled();
    clock.advance(100);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    return expect(ex.run(h)).resolves.toBe("in time");
  });

  it("timeout(0) lets a ready future through and times out a pending one", () => {
    const cx = contextOf(countingWaker());
    expect(timeout(0, ready(5)).poll(cx)).toEqual({ value: 5 });
    const { ex } = setup();
    const h = ex.spawn(timeout(0, pending()));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    return expect(ex.run(h)).rejects.toThrow(/JoinError|timed out/);
  });

  it("an error from the future propagates and the timer is cancelled", () => {
    const { ex, driver } = setup();
    const leaf = new Leaf<number>("op");
    const h = ex.spawn(timeout(50, leaf));
    ex.runUntilStalled();
    leaf.reject(new Error("op failed"));
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(driver.size).toBe(0);
  });

  it("dropping the timeout drops the future and deregisters the timer", () => {
    const { ex, driver } = setup();
    const leaf = new Leaf<number>("op");
    const h = ex.spawn(timeout(50, leaf));
    ex.runUntilStalled();
    expect(driver.size).toBe(1);
    h.abort();
    ex.runUntilStalled();
    expect(leaf.drops).toBe(1);
    expect(driver.size).toBe(0);
  });

  it("throws PollAfterReadyError when polled after completion", () => {
    const cx = contextOf(countingWaker());
    const t = timeout(10, ready(1));
    t.poll(cx);
    expect(() => t.poll(cx)).toThrow(PollAfterReadyError);
  });

  it("describes what it waits on", () => {
    const { ex } = setup();
    const h = ex.spawn(timeout(250, new Leaf("fetch")));
    ex.runUntilStalled();
    expect(ex.tasks()[0]?.waitingOn).toBe("timeout(250, fetch)");
    h.abort();
    ex.runUntilStalled();
  });

  it("rejects bad input eagerly", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, "5", undefined]) {
      expect(() => timeout(bad as number, ready(1))).toThrow(RangeError);
    }
    expect(() => timeout(-1, ready(1))).toThrow(
      /timeout\(ms, fut\): ms must be a finite number >= 0/,
    );
    expect(() => timeout(5, 1 as never)).toThrow(TypeError);
    expect(() => timeout(5, Promise.resolve(1) as never)).toThrow(/fromPromise/);
  });
});
