/** The waker slot: a pending future keeps the waker of the latest task that polled it. */
import { describe, expect, it } from "vitest";
import { Context } from "../../src/core/context.js";
import { Waker } from "../../src/core/waker.js";
import { registerWaker } from "../../src/core/waker-slot.js";

function counting(): { waker: Waker; count: () => number } {
  let n = 0;
  const target = { wake: () => void n++ };
  return { waker: Waker.from(target), count: () => n };
}

describe("registerWaker", () => {
  it("stores the polling task's waker in an empty slot", () => {
    const a = counting();
    const slot = registerWaker(undefined, new Context(a.waker));
    slot.wake();
    expect(a.count()).toBe(1);
  });

  it("keeps the held waker when it wakes the same task (no replacement)", () => {
    const target = { wake: () => {} };
    const held = Waker.from(target);
    const again = Waker.from(target);
    expect(registerWaker(held, new Context(again))).toBe(held);
  });

  it("replaces the held waker when another task polls: only the latest task is woken", () => {
    const a = counting();
    const b = counting();
    let slot = registerWaker(undefined, new Context(a.waker));
    slot = registerWaker(slot, new Context(b.waker));
    slot.wake();
    expect([a.count(), b.count()]).toEqual([0, 1]);
  });
});
