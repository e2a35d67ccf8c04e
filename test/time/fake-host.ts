/** Host timers on virtual time, for testing clocks built on them (`hostClock`). */
import { type HostTimers, MAX_HOST_DELAY } from "../../src/time/clock.js";

export interface FakeTimer {
  readonly due: number;
  readonly callback: () => void;
  active: boolean;
  refed: boolean;
  ref(): void;
  unref(): void;
}

/**
 * Host timers on virtual time that behave like Node's: a delay outside 1..2^31−1 ms becomes
 * 1 ms (so a clock that passes a longer one re-arms every millisecond: the spin to catch).
 */
export class FakeHost implements HostTimers {
  time = 0;
  readonly armed: FakeTimer[] = [];
  /** Every delay asked for, before clamping. */
  readonly asked: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.asked.push(ms);
    const delay = ms >= 1 && ms <= MAX_HOST_DELAY ? Math.trunc(ms) : 1;
    const timer: FakeTimer = {
      due: this.time + delay,
      callback,
      active: true,
      refed: true,
      ref() {
        timer.refed = true;
      },
      unref() {
        timer.refed = false;
      },
    };
    this.armed.push(timer);
    return timer;
  }

  clearTimeout(timer: unknown): void {
    (timer as FakeTimer).active = false;
  }

  /** The armed host timers. */
  get live(): FakeTimer[] {
    return this.armed.filter((t) => t.active);
  }

  /** Fires the earliest armed timer (moving time to it); false when none is armed. */
  fireNext(): boolean {
    const live = this.live;
    if (live.length === 0) return false;
    const next = live.reduce((a, b) => (b.due < a.due ? b : a));
    next.active = false;
    this.time = Math.max(this.time, next.due);
    next.callback();
    return true;
  }
}
