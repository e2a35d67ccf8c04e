/** The one intrusive list: FIFO order, O(1) removal from the middle, no stale links. */
import { describe, expect, it } from "vitest";
import { IntrusiveList, type Linked } from "../../src/core/intrusive-list.js";

class Node implements Linked {
  linkPrev: Linked | undefined = undefined;
  linkNext: Linked | undefined = undefined;
  constructor(readonly id: number) {}
}

describe("IntrusiveList", () => {
  it("pushes, unshifts, removes from the middle and drains in order", () => {
    const q = new IntrusiveList<Node>();
    const n = [0, 1, 2, 3, 4].map((i) => new Node(i));
    for (const x of n.slice(1)) q.push(x);
    q.unshift(n[0] as Node);
    expect(q.remove(n[2] as Node)).toBe(true);
    expect(q.remove(n[2] as Node)).toBe(false);
    expect(q.length).toBe(4);
    expect(q.peek()?.id).toBe(0);
    expect(q.drain().map((x) => x.id)).toEqual([0, 1, 3, 4]);
    expect(q.isEmpty).toBe(true);
    expect(n.every((x) => !q.contains(x) && x.linkPrev === undefined)).toBe(true);
  });

  it("removes head and tail", () => {
    const q = new IntrusiveList<Node>();
    const [a, b, c] = [new Node(1), new Node(2), new Node(3)];
    q.push(a);
    q.push(b);
    q.push(c);
    q.remove(a);
    q.remove(c);
    expect(q.shift()?.id).toBe(2);
    expect(q.shift()).toBeUndefined();
  });

  it("snapshots in order without unlinking, and a removed node can be linked again", () => {
    const q = new IntrusiveList<Node>();
    const [a, b, c] = [new Node(1), new Node(2), new Node(3)];
    q.push(a);
    q.push(b);
    q.push(c);
    expect(q.toArray().map((x) => x.id)).toEqual([1, 2, 3]);
    expect(q.length).toBe(3);
    q.remove(b);
    q.unshift(b);
    expect(q.toArray().map((x) => x.id)).toEqual([2, 1, 3]);
    expect(q.contains(b)).toBe(true);
  });
});
