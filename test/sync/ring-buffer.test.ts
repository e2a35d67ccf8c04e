import { describe, expect, it } from "vitest";
import { RingBuffer } from "../../src/sync/ring-buffer.js";

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
