import { describe, expect, it } from "vitest";
import { AcquireError, Semaphore } from "../../src/index.js";
import { probe } from "./helpers.js";

describe("Semaphore argument checks", () => {
  it.each([-1, 1.5, Number.NaN, "2"])("new Semaphore(%s) is a RangeError", (bad) => {
    expect(() => new Semaphore(bad as number)).toThrow(RangeError);
  });
  it("acquire/tryAcquire/addPermits validate n eagerly", () => {
    const s = new Semaphore(1);
    expect(() => s.acquire(0)).toThrow(
      "Semaphore.acquire(n): n must be a whole number >= 1, got 0",
    );
    expect(() => s.acquire(-2)).toThrow(RangeError);
    expect(() => s.tryAcquire(0.5)).toThrow(RangeError);
    expect(() => s.addPermits(-1)).toThrow(RangeError);
  });
});

describe("Semaphore", () => {
  it("hands out permits and takes them back on release or dispose", () => {
    const s = new Semaphore(2);
    const p1 = s.tryAcquire()!;
    expect(s.availablePermits).toBe(1);
    {
      using p2 = s.tryAcquire()!;
      expect(p2.permits).toBe(1);
      expect(s.tryAcquire()).toBeUndefined();
    }
    expect(s.availablePermits).toBe(1);
    p1.release();
    p1.release(); // idempotent
    expect(p1.isHeld).toBe(false);
    expect(s.availablePermits).toBe(2);
  });

  it("serves waiters strictly in arrival order, a big request included", () => {
    const s = new Semaphore(2);
    const held = s.tryAcquire(2)!;
    const big = probe(s.acquire(2));
    const small = probe(s.acquire(1));
    big.poll();
    small.poll();
    expect(big.future.describe()).toBe("Semaphore.acquire(2)");
    held.release();
    expect(big.woken).toBe(1);
    expect(small.woken).toBe(0);
    expect(s.availablePermits).toBe(0);
    big.poll();
    expect(big.value?.permits).toBe(2);
    // tryAcquire does not overtake the waiting small request
    big.value!.release();
    expect(small.poll()).toBe(true);
    expect(s.availablePermits).toBe(1);
  });

  it("a big waiter collects permits as they come back, so small ones cannot starve it", () => {
    const s = new Semaphore(3);
    const a = s.tryAcquire()!;
    const b = s.tryAcquire()!;
    const big = probe(s.acquire(3));
    big.poll(); // takes the free permit and waits for two more
    expect(s.availablePermits).toBe(0);
    const small = probe(s.acquire(1));
    small.poll();
    a.release();
    expect(big.woken + small.woken).toBe(0);
    b.release();
    expect(big.woken).toBe(1);
    expect(small.woken).toBe(0);
  });

  it("a dropped waiter gives the permits it collected to the next waiter", () => {
    const s = new Semaphore(2);
    const a = s.tryAcquire()!;
    const big = probe(s.acquire(2));
    const next = probe(s.acquire(1));
    big.poll(); // holds 1 of 2
    next.poll();
    big.drop();
    expect(next.woken).toBe(1);
    expect(next.poll()).toBe(true);
    a.release();
    expect(s.availablePermits).toBe(1);
  });

  it("a granted waiter that is dropped passes its permits on", () => {
    const s = new Semaphore(1);
    const held = s.tryAcquire()!;
    const a = probe(s.acquire());
    const b = probe(s.acquire());
    a.poll();
    b.poll();
    held.release();
    expect(a.woken).toBe(1);
    a.drop();
    expect(b.woken).toBe(1);
    expect(b.poll()).toBe(true);
  });

  it("forget() keeps the permits out for good; addPermits adds", () => {
    const s = new Semaphore(1);
    s.tryAcquire()!.forget();
    expect(s.availablePermits).toBe(0);
    s.addPermits(2);
    expect(s.availablePermits).toBe(2);
  });

  it("close() fails every waiter and later acquires; held permits stay valid", () => {
    const s = new Semaphore(1);
    const held = s.tryAcquire()!;
    const ws = [probe(s.acquire()), probe(s.acquire(2))];
    for (const w of ws) w.poll();
    s.close();
    s.close();
    expect(s.isClosed).toBe(true);
    for (const w of ws) {
      expect(w.woken).toBe(1);
      w.poll();
      expect(w.error).toBeInstanceOf(AcquireError);
    }
    const late = probe(s.acquire());
    late.poll();
    expect(late.error).toBeInstanceOf(AcquireError);
    expect(() => s.tryAcquire()).toThrow(AcquireError);
    held.release();
    expect(s.availablePermits).toBe(1);
  });
});
