import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  future,
  Instant,
  interval,
  LocalExecutor,
  pending,
  select,
  sleep,
  sleepUntil,
  TimeoutError,
  timeout,
} from "../../src/index.js";
import { hostClock, MAX_HOST_DELAY } from "../../src/time/clock.js";
import { FakeHost } from "./fake-host.js";

const DAY = 24 * 60 * 60 * 1000;

describe("host clock alarms beyond 2^31−1 ms", () => {
  it("chain host timers of at most 2^31−1 ms and call back once, at the deadline", () => {
    const host = new FakeHost();
    const clock = hostClock(host);
    const calls: number[] = [];
    clock.setAlarm(1e10, () => calls.push(host.time));
    expect(host.asked).toEqual([MAX_HOST_DELAY]);
    let fired = 0;
    while (host.fireNext()) fired++;
    expect(calls).toEqual([1e10]);
    expect(fired).toBe(Math.ceil(1e10 / MAX_HOST_DELAY));
    expect(Math.max(...host.asked)).toBeLessThanOrEqual(MAX_HOST_DELAY);
  });

  it("an alarm within 2^31−1 ms is a single host timer", () => {
    const host = new FakeHost();
    host.time = 0.5;
    const calls: number[] = [];
    hostClock(host).setAlarm(MAX_HOST_DELAY, () => calls.push(host.time));
    expect(host.asked).toEqual([MAX_HOST_DELAY]);
    while (host.fireNext());
    expect(calls.length).toBe(1);
    expect(host.asked.length).toBe(1);
  });

  it("a chained alarm keeps its keepAlive setting across host timers, and cancels the live one", () => {
    const host = new FakeHost();
    const calls: number[] = [];
    const alarm = hostClock(host).setAlarm(3 * MAX_HOST_DELAY, () => calls.push(host.time));
    alarm.keepAlive(false);
    expect(host.live.map((t) => t.refed)).toEqual([false]);
    host.fireNext();
    expect(host.live.map((t) => t.refed)).toEqual([false]); // the next leg is unref'd too
    alarm.keepAlive(true);
    expect(host.live.map((t) => t.refed)).toEqual([true]);
    alarm.cancel();
    expect(host.live).toEqual([]);
    while (host.fireNext());
    expect(calls).toEqual([]);
  });

  it("sleep, timeout, interval and sleepUntil far in the future wait without spinning", () => {
    const host = new FakeHost();
    const ex = new LocalExecutor({ manual: true, clock: hostClock(host) });
    const done: Record<string, number> = {};
    const at = (name: string) => () => {
      done[name] = host.time;
    };
    ex.spawn(
      future(function* () {
        yield* sleep(1e10);
        at("sleep")();
      }),
    );
    ex.spawn(
      future(function* () {
        try {
          yield* timeout(30 * DAY, pending());
        } catch (error) {
          if (error instanceof TimeoutError) at("timeout")();
        }
      }),
    );
    ex.spawn(
      future(function* () {
        const every = interval(40 * DAY);
        yield* every.tick();
        yield* every.tick();
        at("interval")();
      }),
    );
    ex.spawn(
      future(function* () {
        yield* sleepUntil(Instant.now().add(100 * DAY));
        at("sleepUntil")();
      }),
    );
    ex.runUntilStalled();
    let hostTimers = 0;
    while (host.fireNext()) {
      ex.runUntilStalled();
      // A clamped alarm would re-arm every millisecond: about 8.6 billion times.
      expect(++hostTimers).toBeLessThan(100);
    }
    expect(done).toEqual({
      sleep: 1e10,
      timeout: 30 * DAY,
      interval: 40 * DAY,
      sleepUntil: 100 * DAY,
    });
    expect(Math.max(...host.asked)).toBeLessThanOrEqual(MAX_HOST_DELAY);
    expect(ex.tasks()).toEqual([]);
  });

  it("once a short timer wins, the long one's host timers stop keeping the process alive", async () => {
    const host = new FakeHost();
    const ex = new LocalExecutor({ manual: true, clock: hostClock(host) });
    const h = ex.spawn(select(sleep(1e10), sleep(5)));
    ex.runUntilStalled();
    host.fireNext();
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(host.time).toBe(5);
    await Promise.resolve(); // the driver releases its alarm in a microtask
    // The driver leaves its alarm armed for reuse; every leg of the chain stays unref'd.
    for (let legs = 0; host.live.length > 0; legs++) {
      expect(host.live.map((t) => t.refed)).toEqual([false]);
      expect(legs).toBeLessThan(10);
      host.fireNext();
      ex.runUntilStalled();
    }
  });
});

describe("the system clock and waits beyond 2^31−1 ms (fresh process)", () => {
  it("never hands setTimeout a delay it would clamp, and lets the process exit", () => {
    const fixture = fileURLToPath(new URL("./fixtures/long-timers.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--import", "tsx", fixture], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(child.stderr).not.toContain("TimeoutOverflowWarning");
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout.trim()) as { results: unknown[]; overflows: number };
    expect(report.results).toEqual([1, "timeout passed", 1, 1]);
    expect(report.overflows).toBe(0);
  });
});
