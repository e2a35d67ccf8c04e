import { describe, expect, it } from "vitest";
import { TimerDriver, type TimerEntry } from "../../src/executor.js";
import {
  type AlarmHandle,
  Context,
  future,
  Instant,
  join,
  joinAll,
  LocalExecutor,
  ManualClock,
  Poll,
  PollAfterReadyError,
  sleep,
  sleepUntil,
  Waker,
} from "../../src/index.js";
import { hostClock } from "../../src/time/clock.js";
import { driverOf } from "./driver-of.js";
import { FakeHost } from "./fake-host.js";

function entry(deadline: number, fire: () => void): TimerEntry {
  return { deadline, timerBucket: undefined, timerPrev: undefined, timerNext: undefined, fire };
}

function setup() {
  const clock = new ManualClock();
  const ex = new LocalExecutor({ manual: true, clock: clock });
  const driver = driverOf(ex);
  return { clock, ex, driver };
}

/** A ManualClock that counts alarms and remembers whether the alarm keeps the process alive. */
class RecordingClock extends ManualClock {
  alarms = 0;
  active = 0;
  maxActive = 0;
  held = false;
  override setAlarm(deadline: number, callback: () => void): AlarmHandle {
    this.alarms++;
    this.maxActive = Math.max(this.maxActive, ++this.active);
    this.held = true;
    let armed = true;
    const inner = super.setAlarm(deadline, () => {
      armed = false;
      this.active--;
      this.held = false; // a fired host timer no longer keeps the process alive
      callback();
    });
    return {
      cancel: () => {
        if (armed) this.active--;
        armed = false;
        this.held = false;
        inner.cancel();
      },
      keepAlive: (on) => {
        this.held = on;
      },
    };
  }
}

describe("sleep", () => {
  it("completes after ms on the executor's clock", () => {
    const { clock, ex, driver } = setup();
    const h = ex.spawn(sleep(100));
    ex.runUntilStalled();
    clock.advance(99);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(false);
    clock.advance(1);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    expect(driver.size).toBe(0);
  });

  it("sleep(0) is ready on its first poll", () => {
    expect(sleep(0).poll(Context.from(Waker.noop()))).toEqual({ value: undefined });
    const s = sleep(0);
    s.poll(Context.from(Waker.noop()));
    expect(() => s.poll(Context.from(Waker.noop()))).toThrow(PollAfterReadyError);
  });

  it("sleepUntil waits for an instant of the executor's clock", () => {
    const { clock, ex } = setup();
    const h = ex.spawn(
      future(function* () {
        const start = Instant.now();
        yield* sleepUntil(start.add(250));
        return Instant.now().since(start);
      }),
    );
    ex.runUntilStalled();
    clock.advance(250);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
    return expect(ex.run(h)).resolves.toBe(250);
  });

  it("many sleeps share one alarm, re-armed to the earliest deadline", () => {
    const clock = new RecordingClock();
    const ex = new LocalExecutor({ manual: true, clock: clock });
    const driver = driverOf(ex);
    const h = ex.spawn(joinAll([300, 100, 200, 100].map((ms) => sleep(ms))));
    ex.runUntilStalled();
    expect(driver.size).toBe(4);
    expect(clock.nextAlarm).toBe(100);
    for (const ms of [100, 200, 300]) {
      clock.advanceTo(ms);
      ex.runUntilStalled();
      expect(clock.nextAlarm).toBe(ms === 300 ? undefined : ms + 100);
    }
    expect(h.isFinished).toBe(true);
    expect(clock.maxActive).toBe(1); // never more than one alarm armed
    expect(driver.size).toBe(0);
    expect(clock.held).toBe(false); // nothing waits: the alarm keeps nothing alive
  });

  it("a dropped sleep deregisters, and the alarm stops keeping the process alive", async () => {
    const clock = new RecordingClock();
    const ex = new LocalExecutor({ manual: true, clock: clock });
    const driver = driverOf(ex);
    const h = ex.spawn(sleep(1000));
    ex.runUntilStalled();
    expect(driver.size).toBe(1);
    expect(clock.held).toBe(true);
    h.abort();
    ex.runUntilStalled();
    expect(driver.size).toBe(0);
    // released in a microtask, so a timer replaced at once costs no unref/ref of the host timer
    expect(clock.held).toBe(true);
    await Promise.resolve();
    expect(clock.held).toBe(false);
  });

  it("timers with equal deadlines fire in registration order", () => {
    const clock = new ManualClock();
    const driver = new TimerDriver(clock);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      driver.insert(entry(10, () => order.push(i)));
    }
    clock.advance(10);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("fires by deadline (to the millisecond), then registration order, under removals", () => {
    const clock = new ManualClock();
    const driver = new TimerDriver(clock);
    const fired: number[] = [];
    const entries = Array.from({ length: 200 }, (_, i) =>
      entry(((i * 7919) % 97) + 1 + (i % 2) * 0.5, () => fired.push(i)),
    );
    for (const e of entries) driver.insert(e);
    for (let i = 0; i < 200; i += 3) driver.remove(entries[i] as (typeof entries)[number]);
    clock.advance(1000);
    const expected = entries
      .map((e, i) => ({ e, i }))
      .filter(({ i }) => i % 3 !== 0)
      .sort((a, b) => Math.ceil(a.e.deadline) - Math.ceil(b.e.deadline) || a.i - b.i)
      .map(({ i }) => i);
    expect(fired).toEqual(expected);
    expect(driver.size).toBe(0);
  });

  it("works under a foreign executor (no clock): falls back to the default driver", async () => {
    // Poll by hand with a waker that resolves a promise: no wakeful executor involved.
    const s = sleep(5);
    const cx = Context.from(Waker.noop());
    expect(s.poll(cx)).toBe(Poll.pending);
    await new Promise<void>((resolve) => {
      const cx2 = Context.from(Waker.from({ wake: resolve }));
      s.poll(cx2);
    });
    expect(s.poll(cx)).toEqual({ value: undefined });
  });

  it("join of two sleeps takes the longer one, not the sum", () => {
    const { clock, ex } = setup();
    const h = ex.spawn(join(sleep(1000), sleep(1000)));
    ex.runUntilStalled();
    clock.advance(1000);
    ex.runUntilStalled();
    expect(h.isFinished).toBe(true);
  });

  it("rejects bad input eagerly", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, "5", null]) {
      expect(() => sleep(bad as number)).toThrow(RangeError);
    }
    expect(() => sleep(-1)).toThrow(/sleep\(ms\): ms must be a finite number >= 0, got -1/);
    expect(() => sleepUntil(5 as never)).toThrow(TypeError);
  });
});

describe("TimerDriver", () => {
  it("never fires a timer before its deadline, and at most at the next millisecond", () => {
    const clock = new ManualClock();
    const driver = new TimerDriver(clock);
    const fired: string[] = [];
    driver.insert(entry(10.25, () => fired.push("a")));
    driver.insert(entry(10, () => fired.push("b")));
    driver.insert(entry(12.5, () => fired.push("c")));
    const late = entry(12.75, () => fired.push("late"));
    driver.insert(late);
    driver.remove(late);
    expect(driver.nextDeadline).toBe(10);
    clock.advanceTo(10);
    expect(fired).toEqual(["b"]);
    clock.advanceTo(10.2);
    driver.fire();
    expect(fired).toEqual(["b"]); // due at 10.25
    clock.advanceTo(10.25);
    expect(fired).toEqual(["b", "a"]); // its own deadline, not the next whole millisecond
    clock.advanceTo(12.25);
    driver.fire();
    expect(fired).toEqual(["b", "a"]);
    clock.advanceTo(13); // a cancelled later timer of the same millisecond delays it no further
    expect(fired).toEqual(["b", "a", "c"]);
    expect(driver.size).toBe(0);
  });

  it("arms its alarm for the deadline itself: sleep(1) asks the host for 1 ms, not 2", () => {
    const host = new FakeHost();
    host.time = 100.3;
    const ex = new LocalExecutor({ manual: true, clock: hostClock(host) });
    const woke: number[] = [];
    ex.spawn(
      future(function* () {
        yield* sleep(1);
        woke.push(host.time);
        yield* sleep(2);
        woke.push(host.time);
      }),
    );
    ex.runUntilStalled();
    while (host.fireNext()) ex.runUntilStalled();
    // A host setTimeout(1) at 100.3 fires at 101.3; so must sleep(1), and sleep(2) 2 ms later.
    expect(woke).toEqual([101.3, 103.3]);
    expect(host.asked.filter((ms) => ms > 0)).toEqual([1, 2]);
  });

  it("lets a firing timer register and cancel others", () => {
    const clock = new ManualClock();
    const driver = new TimerDriver(clock);
    const fired: string[] = [];
    const later = entry(5, () => fired.push("later"));
    const sibling = entry(5, () => fired.push("sibling"));
    driver.insert(
      entry(5, () => {
        fired.push("first");
        driver.remove(sibling); // already deregistered: a no-op, it still fires
        driver.insert(later);
      }),
    );
    driver.insert(sibling);
    clock.advanceTo(5);
    expect(fired).toEqual(["first", "sibling", "later"]);
    expect(driver.size).toBe(0);
  });
});
