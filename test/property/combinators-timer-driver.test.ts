/**
 * The timer driver against a model: random registrations, cancellations and clock advances.
 * Timers must fire exactly once, never before their deadline, by deadline rounded up to the
 * millisecond and then in registration order; `size` and `nextDeadline` must match; and the
 * alarm must keep the process alive exactly while a timer is registered.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimerDriver, type TimerEntry } from "../../src/executor.js";
import { type AlarmHandle, ManualClock } from "../../src/index.js";

class HeldClock extends ManualClock {
  held = false;
  override setAlarm(deadline: number, callback: () => void): AlarmHandle {
    this.held = true;
    let armed = true;
    const inner = super.setAlarm(deadline, () => {
      armed = false;
      this.held = false;
      callback();
    });
    return {
      cancel: () => {
        if (armed) this.held = false;
        armed = false;
        inner.cancel();
      },
      keepAlive: (on) => {
        if (armed) this.held = on;
      },
    };
  }
}

type Op =
  | { kind: "insert"; delay: number }
  | { kind: "remove"; pick: number }
  | { kind: "advance"; by: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    delay: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 40, noNaN: true })),
  }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("advance" as const), by: fc.integer({ min: 0, max: 15 }) }),
);

describe("TimerDriver vs a model", () => {
  it("fires every registered timer once, in order, never early", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 150 }), async (ops) => {
        const clock = new HeldClock();
        const driver = new TimerDriver(clock);
        let nextId = 0;
        const live: { id: number; deadline: number; entry: TimerEntry }[] = [];
        const fired: { id: number; at: number }[] = [];
        const expected: number[] = [];
        const deadlineOf = new Map<number, number>();
        const fireDue = () => {
          const due = live
            .filter((t) => Math.ceil(t.deadline) <= clock.now())
            .sort((a, b) => Math.ceil(a.deadline) - Math.ceil(b.deadline) || a.id - b.id);
          for (const t of due) {
            expected.push(t.id);
            live.splice(live.indexOf(t), 1);
          }
        };
        for (const op of ops) {
          if (op.kind === "insert") {
            const id = nextId++;
            const deadline = clock.now() + op.delay;
            deadlineOf.set(id, deadline);
            const entry: TimerEntry = {
              deadline,
              timerBucket: undefined,
              timerPrev: undefined,
              timerNext: undefined,
              fire: () => fired.push({ id, at: clock.now() }),
            };
            driver.insert(entry);
            live.push({ id, deadline, entry });
          } else if (op.kind === "remove") {
            const t = live[op.pick % Math.max(1, live.length)];
            if (t !== undefined) {
              driver.remove(t.entry);
              driver.remove(t.entry); // idempotent
              live.splice(live.indexOf(t), 1);
            }
          } else {
            // advance one millisecond at a time so the model's order is the driver's order
            for (let i = 0; i < op.by; i++) {
              clock.advance(1);
              fireDue();
            }
          }
          expect(driver.size).toBe(live.length);
          const next =
            live.length === 0 ? undefined : Math.min(...live.map((t) => Math.ceil(t.deadline)));
          expect(driver.nextDeadline).toBe(next);
          await Promise.resolve(); // let a deferred release run
          expect(clock.held).toBe(live.length > 0);
        }
        expect(fired.map((f) => f.id)).toEqual(expected);
        for (const f of fired) expect(f.at).toBeGreaterThanOrEqual(deadlineOf.get(f.id) as number);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("keeps its order when emptied buckets are compacted away", () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          Array.from({ length: 120 }, (_, i) => i + 1),
          { minLength: 120 },
        ),
        fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
        (deadlines, keep) => {
          const clock = new ManualClock();
          const driver = new TimerDriver(clock);
          const fired: number[] = [];
          const entries = deadlines.map((d) => ({
            deadline: d,
            timerBucket: undefined,
            timerPrev: undefined,
            timerNext: undefined,
            fire: () => fired.push(d),
          }));
          for (const e of entries) driver.insert(e);
          entries.forEach((e, i) => {
            if (!keep[i]) driver.remove(e);
          });
          const kept = deadlines.filter((_, i) => keep[i]).sort((a, b) => a - b);
          expect(driver.nextDeadline).toBe(kept[0]);
          for (let t = 1; t <= 120; t++) clock.advanceTo(t);
          expect(fired).toEqual(kept);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it("a long loop of cancelled timers leaves nothing behind", () => {
    const clock = new ManualClock();
    const driver = new TimerDriver(clock);
    for (let i = 0; i < 10_000; i++) {
      const entry: TimerEntry = {
        deadline: clock.now() + (i % 997) + 1,
        timerBucket: undefined,
        timerPrev: undefined,
        timerNext: undefined,
        fire: () => {
          throw new Error("cancelled timer fired");
        },
      };
      driver.insert(entry);
      driver.remove(entry);
      if (i % 10 === 0) clock.advance(1);
    }
    expect(driver.size).toBe(0);
    expect(driver.nextDeadline).toBeUndefined();
    clock.advance(10_000);
    expect(driver.fire()).toBe(0);
  });
});
