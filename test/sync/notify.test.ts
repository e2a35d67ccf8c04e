import { describe, expect, it } from "vitest";
import { Notify } from "../../src/index.js";
import { probe } from "./helpers.js";

describe("Notify", () => {
  it("notifyOne with nobody waiting stores exactly one permit", () => {
    const n = new Notify();
    n.notifyOne();
    n.notifyOne();
    const a = probe(n.notified());
    const b = probe(n.notified());
    expect(a.poll()).toBe(true);
    expect(b.poll()).toBe(false);
    expect(b.future.describe()).toBe("Notify.notified()");
  });

  it("notifyOne wakes waiters in arrival order, one at a time", () => {
    const n = new Notify();
    const ws = [probe(n.notified()), probe(n.notified()), probe(n.notified())];
    for (const w of ws) w.poll();
    n.notifyOne();
    expect(ws.map((w) => w.woken)).toEqual([1, 0, 0]);
    n.notifyOne();
    expect(ws.map((w) => w.woken)).toEqual([1, 1, 0]);
    expect(ws[0]!.poll() && ws[1]!.poll()).toBe(true);
    expect(ws[2]!.poll()).toBe(false);
  });

  it("a waiter woken by notifyOne and dropped passes the notification on", () => {
    const n = new Notify();
    const a = probe(n.notified());
    const b = probe(n.notified());
    a.poll();
    b.poll();
    n.notifyOne();
    a.drop();
    expect(b.woken).toBe(1);
    expect(b.poll()).toBe(true);
    // with nobody left, it becomes the stored permit
    const c = probe(n.notified());
    c.poll();
    n.notifyOne();
    c.drop();
    expect(probe(n.notified()).poll()).toBe(true);
  });

  it("a queued waiter that is dropped leaves the queue", () => {
    const n = new Notify();
    const a = probe(n.notified());
    const b = probe(n.notified());
    a.poll();
    b.poll();
    a.drop();
    n.notifyOne();
    expect(a.woken).toBe(0);
    expect(b.woken).toBe(1);
  });

  it("notifyWaiters wakes every existing future, polled or not, and stores no permit", () => {
    const n = new Notify();
    const polled = probe(n.notified());
    polled.poll();
    const unpolled = probe(n.notified());
    n.notifyWaiters();
    expect(polled.woken).toBe(1);
    expect(polled.poll()).toBe(true);
    expect(unpolled.poll()).toBe(true);
    const later = probe(n.notified());
    expect(later.poll()).toBe(false);
  });
});
