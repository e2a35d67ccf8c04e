import { describe, expect, it } from "vitest";
import {
  AbortedError,
  future,
  type Instant,
  type Interval,
  interval,
  LocalExecutor,
  ManualClock,
  type MissedTick,
} from "../../src/index.js";
import { driverOf } from "./driver-of.js";

function setup() {
  const clock = new ManualClock(1000);
  const ex = new LocalExecutor({ manual: true, clock: clock });
  const driver = driverOf(ex);
  return { clock, ex, driver };
}

/** A task that awaits `n` ticks and records each scheduled instant and when it was seen. */
function ticker(iv: Interval, n: number, seen: [number, number][], now: () => number) {
  return future(function* () {
    for (let i = 0; i < n; i++) {
      const at: Instant = yield* iv.tick();
      seen.push([at.ms, now()]);
    }
  });
}

describe("interval", () => {
  it("ticks immediately, then every period", () => {
    const { clock, ex, driver } = setup();
    const seen: [number, number][] = [];
    const h = ex.spawn(ticker(interval(100), 4, seen, () => clock.now()));
    ex.runUntilStalled();
    expect(seen).toEqual([[1000, 1000]]);
    clock.advance(99);
    ex.runUntilStalled();
    expect(seen.length).toBe(1);
    clock.advance(1);
    ex.runUntilStalled();
    clock.advance(100);
    ex.runUntilStalled();
    clock.advance(100);
    ex.runUntilStalled();
    expect(seen).toEqual([
      [1000, 1000],
      [1100, 1100],
      [1200, 1200],
      [1300, 1300],
    ]);
    expect(h.isFinished).toBe(true);
    expect(driver.size).toBe(0);
  });

  const missed: [MissedTick, number[]][] = [
    // the task sleeps through 350 ms after the first tick, then takes 4 more ticks
    ["burst", [0, 100, 200, 300, 400]],
    ["delay", [0, 350, 450, 550, 650]],
    ["skip", [0, 350, 400, 500, 600]],
  ];
  for (const [mode, expected] of missed) {
    it(`missedTick "${mode}" after a stall`, () => {
      const { clock, ex } = setup();
      const iv = interval(100, { missedTick: mode });
      const seen: number[] = [];
      const h = ex.spawn(
        future(function* () {
          for (let i = 0; i < 5; i++) {
            yield* iv.tick();
            seen.push(clock.now() - 1000);
          }
        }),
      );
      ex.runUntilStalled(); // first tick at 0
      clock.advance(350); // stalled: the alarm fires late, at 350
      ex.runUntilStalled();
      for (let i = 0; i < 10 && !h.isFinished; i++) {
        const next = clock.nextAlarm;
        if (next !== undefined) clock.advanceTo(next);
        ex.runUntilStalled();
      }
      expect(h.isFinished).toBe(true);
      // "seen" is when the tick completed; for burst the catch-up ticks complete at 350
      if (mode === "burst") expect(seen).toEqual([0, 350, 350, 350, 400]);
      else expect(seen).toEqual(expected);
    });
  }

  it("burst gives the scheduled instants of the missed ticks", () => {
    const { clock, ex } = setup();
    const seen: [number, number][] = [];
    const h = ex.spawn(ticker(interval(100), 5, seen, () => clock.now()));
    ex.runUntilStalled();
    clock.advance(350);
    ex.runUntilStalled();
    clock.advance(50);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(seen.map(([at]) => at - 1000)).toEqual([0, 100, 200, 300, 400]);
  });

  it("reset() restarts the schedule one period from now", () => {
    const { clock, ex } = setup();
    const iv = interval(100);
    const seen: [number, number][] = [];
    ex.spawn(ticker(iv, 3, seen, () => clock.now()));
    ex.runUntilStalled();
    clock.advance(60);
    ex.spawn(
      future(function* () {
        iv.reset();
      }),
    );
    ex.runUntilStalled();
    clock.advance(40); // the old deadline: no tick
    ex.runUntilStalled();
    expect(seen.length).toBe(1);
    clock.advance(60);
    ex.runUntilStalled();
    expect(seen.map(([at]) => at - 1000)).toEqual([0, 160]);
  });

  it("reset() before the first tick delays it by one period", () => {
    const { clock, ex } = setup();
    const seen: [number, number][] = [];
    ex.spawn(
      future(function* () {
        const iv = interval(100);
        iv.reset();
        yield* ticker(iv, 1, seen, () => clock.now());
      }),
    );
    ex.runUntilStalled();
    expect(seen).toEqual([]);
    clock.advance(100);
    ex.runUntilStalled();
    expect(seen).toEqual([[1100, 1100]]);
  });

  it("a dropped tick loses nothing and leaves no timer", () => {
    const { clock, ex, driver } = setup();
    const iv = interval(100);
    const h1 = ex.spawn(iv.tick());
    ex.runUntilStalled();
    expect(h1.isFinished).toBe(true);
    const h2 = ex.spawn(iv.tick());
    ex.runUntilStalled();
    expect(driver.size).toBe(1);
    h2.abort();
    ex.runUntilStalled();
    expect(driver.size).toBe(0);
    clock.advance(100);
    const h3 = ex.spawn(iv.tick());
    ex.runUntilStalled();
    expect(h3.isFinished).toBe(true);
  });

  it("disposing it wakes the pending tick with AbortedError and cancels its timer", async () => {
    const { ex, driver } = setup();
    let caught: unknown;
    let iv: Interval | undefined;
    const h = ex.spawn(
      future(function* () {
        iv = interval(100);
        yield* iv.tick();
        try {
          yield* iv.tick();
        } catch (e) {
          caught = e;
        }
      }),
    );
    ex.runUntilStalled();
    expect(driver.size).toBe(1);
    iv?.[Symbol.dispose]();
    expect(driver.size).toBe(0);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(caught).toBeInstanceOf(AbortedError);
  });

  it("rejects bad input eagerly", () => {
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "10", undefined]) {
      expect(() => interval(bad as number)).toThrow(RangeError);
    }
    expect(() => interval(0)).toThrow(/interval\(ms\): ms must be a finite number > 0, got 0/);
    expect(() => interval(10, { missedTick: "later" as never })).toThrow(/missedTick/);
    expect(() => interval(10, 5 as never)).toThrow(TypeError);
  });
});
