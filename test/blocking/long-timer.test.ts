// LongTimer over a fake host that clamps like Node: a delay above 2^31−1 ms fires after 1 ms.
import { describe, expect, it } from "vitest";
import { type HostTimers, LongTimer, MAX_HOST_DELAY } from "../../src/blocking/long-timer.js";

/** Host timers on a hand-driven clock, clamping long delays to 1 ms as Node does. */
class FakeHost implements HostTimers {
  now = 0;
  readonly delays: number[] = [];
  #next = 0;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    const id = ++this.#next;
    this.#pending.set(id, { at: this.now + (ms > MAX_HOST_DELAY ? 1 : ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }
  get pending(): number {
    return this.#pending.size;
  }
  /** Moves the clock to `to`, firing due timers in order. */
  advanceTo(to: number): void {
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#pending) {
        if (entry[1].at <= to && (due === undefined || entry[1].at < due[1].at)) due = entry;
      }
      if (due === undefined) break;
      this.#pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = to;
  }
}

describe("LongTimer", () => {
  it("fires once after a short delay, on one host timer", () => {
    const host = new FakeHost();
    let fired = 0;
    new LongTimer(host, 250, () => fired++);
    host.advanceTo(249);
    expect(fired).toBe(0);
    host.advanceTo(10_000);
    expect(fired).toBe(1);
    expect(host.delays).toEqual([250]);
  });

  it("chains host timers past 2^31−1 ms and fires only when the whole wait is over", () => {
    const host = new FakeHost();
    let firedAt = -1;
    new LongTimer(host, 3e9, () => {
      firedAt = host.now;
    });
    host.advanceTo(MAX_HOST_DELAY);
    expect(firedAt).toBe(-1);
    expect(host.pending).toBe(1);
    host.advanceTo(3e9 - 1);
    expect(firedAt).toBe(-1);
    host.advanceTo(1e10);
    expect(firedAt).toBe(3e9);
    expect(host.delays).toEqual([MAX_HOST_DELAY, 3e9 - MAX_HOST_DELAY]);
    expect(Math.max(...host.delays)).toBeLessThanOrEqual(MAX_HOST_DELAY);
  });

  it("never fires once cancelled, even between two links of the chain", () => {
    const host = new FakeHost();
    let fired = 0;
    const timer = new LongTimer(host, 5e9, () => fired++);
    host.advanceTo(MAX_HOST_DELAY + 1);
    timer.cancel();
    timer.cancel();
    expect(host.pending).toBe(0);
    host.advanceTo(1e11);
    expect(fired).toBe(0);
  });
});
