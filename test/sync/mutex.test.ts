import { describe, expect, it } from "vitest";
import { future, LocalExecutor, Mutex, yieldNow } from "../../src/index.js";
import { probe } from "./helpers.js";

describe("Mutex", () => {
  it("gives exclusive access to the value; release hands it to the next waiter", () => {
    const m = new Mutex({ n: 0 });
    const g1 = m.tryLock()!;
    expect(m.isLocked).toBe(true);
    expect(m.tryLock()).toBeUndefined();
    const w = probe(m.lock());
    expect(w.poll()).toBe(false);
    expect(w.future.describe()).toBe("Mutex.lock()");
    g1.value.n = 1;
    g1.release();
    expect(w.woken).toBe(1);
    expect(w.poll()).toBe(true);
    const g2 = w.value!;
    expect(g2.value.n).toBe(1);
    g2.value = { n: 2 };
    g2[Symbol.dispose]();
    expect(m.isLocked).toBe(false);
    expect(m.tryLock()!.value.n).toBe(2);
  });

  it("a released guard throws on access and release stays idempotent", () => {
    const m = new Mutex(5);
    const g = m.tryLock()!;
    g.release();
    expect(g.isHeld).toBe(false);
    expect(() => g.value).toThrow(/released/);
    expect(() => {
      g.value = 6;
    }).toThrow(/released/);
    g.release();
    expect(m.tryLock()!.value).toBe(5);
  });

  it("a lock dropped after being handed the mutex passes it to the next waiter", () => {
    const m = new Mutex(0);
    const g = m.tryLock()!;
    const a = probe(m.lock());
    const b = probe(m.lock());
    a.poll();
    b.poll();
    g.release();
    a.drop();
    expect(b.woken).toBe(1);
    expect(b.poll()).toBe(true);
  });

  it("`using` inside async blocks keeps read-modify-write atomic across yields", () => {
    const ex = new LocalExecutor({ manual: true });
    const m = new Mutex(0);
    const inc = () =>
      future(function* () {
        using guard = yield* m.lock();
        const v = guard.value;
        yield* yieldNow();
        guard.value = v + 1;
      });
    for (let i = 0; i < 10; i++) ex.spawn(inc());
    ex.runUntilStalled();
    expect(m.tryLock()!.value).toBe(10);
  });
});
