import { describe, expect, it } from "vitest";
import { RingBuffer } from "../../src/sync/ring-buffer.js";
import { type WaiterNode, WaiterQueue } from "../../src/sync/waiter-queue.js";

describe("RingBuffer", () => {
  it("keeps FIFO order across growth and wrap-around", () => {
    const rb = new RingBuffer<number>(2);
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < (round % 7) + 1; i++) rb.push(next++);
      for (let i = 0; i < (round % 5) + 1 && rb.length > 0; i++) out.push(rb.shift() as number);
    }
    while (rb.length > 0) out.push(rb.shift() as number);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(rb.shift()).toBeUndefined();
    expect(rb.peek()).toBeUndefined();
  });

  it("peeks and clears", () => {
    const rb = new RingBuffer<string>();
    rb.push("a");
    rb.push("b");
    expect(rb.peek()).toBe("a");
    rb.clear();
    expect(rb.length).toBe(0);
    rb.push("c");
    expect(rb.shift()).toBe("c");
  });
});

class Node implements WaiterNode {
  prevWaiter: WaiterNode | undefined = undefined;
  nextWaiter: WaiterNode | undefined = undefined;
  constructor(readonly id: number) {}
}

describe("WaiterQueue", () => {
  it("pushes, unshifts, removes from the middle and drains in order", () => {
    const q = new WaiterQueue<Node>();
    const n = [0, 1, 2, 3, 4].map((i) => new Node(i));
    for (const x of n.slice(1)) q.push(x);
    q.unshift(n[0] as Node);
    expect(q.remove(n[2] as Node)).toBe(true);
    expect(q.remove(n[2] as Node)).toBe(false);
    expect(q.length).toBe(4);
    expect(q.peek()?.id).toBe(0);
    expect(q.drain().map((x) => x.id)).toEqual([0, 1, 3, 4]);
    expect(q.isEmpty).toBe(true);
    expect(n.every((x) => !q.contains(x) && x.prevWaiter === undefined)).toBe(true);
  });

  it("removes head and tail", () => {
    const q = new WaiterQueue<Node>();
    const [a, b, c] = [new Node(1), new Node(2), new Node(3)];
    q.push(a);
    q.push(b);
    q.push(c);
    q.remove(a);
    q.remove(c);
    expect(q.shift()?.id).toBe(2);
    expect(q.shift()).toBeUndefined();
  });
});
