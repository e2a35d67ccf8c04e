import { describe, expect, it } from "vitest";
import { broadcast, LaggedError, RecvError, SendError, watch } from "../../src/index.js";
import { probe } from "./helpers.js";

describe("broadcast", () => {
  it("rejects a bad capacity", () => {
    expect(() => broadcast(0)).toThrow(RangeError);
    expect(() => broadcast(2.5)).toThrow(RangeError);
  });

  it("delivers every message to every receiver subscribed when it was sent", () => {
    const [tx, rx1] = broadcast<number>(4);
    tx.send(1);
    const rx2 = tx.subscribe();
    expect(tx.send(2)).toBe(2);
    expect(tx.receiverCount).toBe(2);
    expect([rx1.tryRecv(), rx1.tryRecv(), rx1.tryRecv()]).toEqual([1, 2, undefined]);
    expect([rx2.tryRecv(), rx2.tryRecv()]).toEqual([2, undefined]);
  });

  it("wakes every waiting receive on send and ends them when every sender closes", () => {
    const [tx, rx1] = broadcast<string>(2);
    const rx2 = rx1.resubscribe();
    const a = probe(rx1.recv());
    const b = probe(rx2.recv());
    a.poll();
    b.poll();
    tx.send("x");
    expect([a.woken, b.woken]).toEqual([1, 1]);
    a.poll();
    b.poll();
    expect(a.value).toEqual({ done: false, value: "x" });
    expect(b.value).toEqual({ done: false, value: "x" });
    const c = probe(rx1.recv());
    c.poll();
    const tx2 = tx.clone();
    tx.close();
    expect(c.woken).toBe(0);
    tx2[Symbol.dispose]();
    expect(c.woken).toBe(1);
    c.poll();
    expect(c.value).toEqual({ done: true, value: undefined });
  });

  it("a slow receiver gets LaggedError with the number it missed, then continues", () => {
    const [tx, rx] = broadcast<number>(3);
    for (let i = 0; i < 8; i++) tx.send(i);
    const r = probe(rx.recv());
    r.poll();
    expect(r.error).toBeInstanceOf(LaggedError);
    expect((r.error as LaggedError).missed).toBe(5);
    expect([rx.tryRecv(), rx.tryRecv(), rx.tryRecv(), rx.tryRecv()]).toEqual([5, 6, 7, undefined]);
  });

  it("a dropped receive loses nothing", () => {
    const [tx, rx] = broadcast<number>(2);
    const r = probe(rx.recv());
    r.poll();
    tx.send(9);
    r.drop();
    expect(rx.tryRecv()).toBe(9);
  });

  it("send without receivers throws SendError; a closed receiver ends its receives", () => {
    const [tx, rx] = broadcast<number>(2);
    const r = probe(rx.recv());
    r.poll();
    rx.close();
    expect(r.woken).toBe(1);
    r.poll();
    expect(r.value).toEqual({ done: true, value: undefined });
    expect(() => tx.send(1)).toThrow(SendError);
    tx.close();
    expect(() => tx.send(1)).toThrow(/closed/);
    expect(() => tx.clone()).toThrow(/closed/);
  });
});

describe("watch", () => {
  it("changed() completes once per unseen version and borrow() reads the latest", () => {
    const [tx, rx] = watch("a");
    expect(rx.borrow()).toBe("a");
    const c = probe(rx.changed());
    expect(c.poll()).toBe(false);
    tx.send("b");
    tx.send("c");
    expect(c.woken).toBe(1);
    expect(c.poll()).toBe(true);
    expect(rx.borrow()).toBe("c");
    expect(rx.hasChanged).toBe(false);
    expect(probe(rx.changed()).poll()).toBe(false);
  });

  it("subscribe and clone start at the right version; borrowAndUpdate marks seen", () => {
    const [tx, rx] = watch(0);
    tx.send(1);
    const fresh = tx.subscribe();
    expect(fresh.hasChanged).toBe(false);
    const copy = rx.clone();
    expect(copy.hasChanged).toBe(true);
    expect(copy.borrowAndUpdate()).toBe(1);
    expect(copy.hasChanged).toBe(false);
    expect(tx.receiverCount).toBe(3);
  });

  it("sendModify and sendReplace work without receivers; send needs one", () => {
    const [tx, rx] = watch({ hits: 0 });
    rx.close();
    expect(tx.isClosed).toBe(true);
    expect(() => tx.send({ hits: 9 })).toThrow(SendError);
    tx.sendModify((c) => {
      c.hits++;
      return c;
    });
    expect(tx.borrow().hits).toBe(1);
    expect(tx.sendReplace({ hits: 5 }).hits).toBe(1);
    expect(() => tx.sendModify(5 as never)).toThrow(TypeError);
  });

  it("closing the sender wakes waiters, which throw RecvError once nothing is unseen", () => {
    const [tx, rx] = watch(1);
    const c = probe(rx.changed());
    c.poll();
    tx.close();
    expect(c.woken).toBe(1);
    c.poll();
    expect(c.error).toBeInstanceOf(RecvError);
    const [tx2, rx2] = watch(1);
    tx2.send(2);
    tx2.close();
    expect(probe(rx2.changed()).poll()).toBe(true);
    const last = probe(rx2.changed());
    last.poll();
    expect(last.error).toBeInstanceOf(RecvError);
  });

  it("a dropped changed() leaves the waiter list", () => {
    const [tx, rx] = watch(0);
    const a = probe(rx.changed());
    a.poll();
    a.drop();
    tx.send(1);
    expect(a.woken).toBe(0);
    expect(rx.hasChanged).toBe(true);
  });
});
