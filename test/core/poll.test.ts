import { describe, expect, it } from "vitest";
import { Poll } from "../../src/core/poll.js";

describe("Poll", () => {
  it("pending is one shared, frozen constant", () => {
    expect(Poll.pending).toBe(Poll.pending);
    expect(Object.isFrozen(Poll.pending)).toBe(true);
    expect(Poll.pending).toEqual({ pending: true });
  });

  it("ready(value) is a fresh plain { value } record", () => {
    const a = Poll.ready(1);
    const b = Poll.ready(1);
    expect(a).toEqual({ value: 1 });
    expect(Object.keys(a)).toEqual(["value"]);
    expect(a).not.toBe(b);
  });

  it("ready(undefined) is still Ready, not Pending", () => {
    const p = Poll.ready(undefined);
    expect(Poll.isReady(p)).toBe(true);
    expect(Poll.isPending(p)).toBe(false);
  });

  it("isReady / isPending tell the two apart", () => {
    expect(Poll.isReady(Poll.pending)).toBe(false);
    expect(Poll.isPending(Poll.pending)).toBe(true);
    const r: Poll<string> = Poll.ready("x");
    expect(Poll.isReady(r)).toBe(true);
    expect(Poll.isPending(r)).toBe(false);
    if (Poll.isReady(r)) expect(r.value).toBe("x");
  });

  it("any { value } record counts as Ready (e.g. an iterator result reused as Ready)", () => {
    const p: Poll<number> = { value: 3 };
    expect(Poll.isReady(p)).toBe(true);
  });
});
