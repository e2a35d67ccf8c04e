/**
 * Clocks: where time comes from. A timer driver reads `now()` and arms at most one alarm at a
 * time through its clock; the system clock arms a host timer, a `ManualClock` fires alarms only
 * when the test (or the simulation executor) advances it.
 *
 * Invariants:
 * - `now()` never goes backwards.
 * - An alarm never calls back before its deadline, whatever the deadline: host timers take at
 *   most 2^31−1 ms (a longer `setTimeout` fires after ~1 ms in Node, at once in browsers), so
 *   a host alarm further away than that is a chain of host timers, each at most that long,
 *   re-armed for what is left when it fires. Exactly one host timer of an alarm is armed at a
 *   time, and it keeps the process alive as the last `keepAlive` call said.
 * @module
 */

import type { AlarmHandle, Clock } from "../core/clock.js";

export type { AlarmHandle, Clock } from "../core/clock.js";

/**
 * The longest delay a host timer honours (2^31−1 ms, about 24.8 days): `setTimeout` clamps a
 * longer one to ~1 ms (Node) or fires it at once (browsers).
 */
export const MAX_HOST_DELAY = 2 ** 31 - 1;

/** @internal The host functions a host clock runs on (the globals, or fakes in tests). */
export interface HostTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

type RefCounted = { ref?(): unknown; unref?(): unknown };

/** One alarm of a host clock: one host timer at a time, chained for long waits. */
class HostAlarm implements AlarmHandle {
  readonly #host: HostTimers;
  readonly #deadline: number;
  readonly #callback: () => void;
  #timer: unknown;
  #held = true;

  constructor(host: HostTimers, deadline: number, callback: () => void) {
    this.#host = host;
    this.#deadline = deadline;
    this.#callback = callback;
    this.#timer = this.#start();
  }

  #start(): unknown {
    const host = this.#host;
    const delay = Math.max(0, Math.ceil(this.#deadline - host.now()));
    if (delay <= MAX_HOST_DELAY) return host.setTimeout(this.#callback, delay);
    // Too far for one host timer: wait as long as one may, then re-arm for what is left.
    return host.setTimeout(() => {
      this.#timer = this.#start();
      if (!this.#held) (this.#timer as RefCounted).unref?.();
    }, MAX_HOST_DELAY);
  }

  cancel(): void {
    this.#host.clearTimeout(this.#timer);
  }

  keepAlive(on: boolean): void {
    this.#held = on;
    const timer = this.#timer as RefCounted;
    if (on) timer.ref?.();
    else timer.unref?.();
  }
}

/**
 * @internal A clock on the given host functions, with alarms of any length (see the module's
 * invariants). `systemClock` is this on `performance.now()` and the global timers.
 */
export function hostClock(host: HostTimers): Clock {
  return {
    now: () => host.now(),
    setAlarm: (deadline, callback) => new HostAlarm(host, deadline, callback),
  };
}

const globalTimers: HostTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * The host's monotonic clock (`performance.now()`) with `setTimeout` alarms; an alarm further
 * away than a host timer can wait (2^31−1 ms) chains host timers instead of spinning.
 *
 * @example
 * ```ts
 * const started = systemClock.now();
 * ```
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setAlarm: (deadline, callback) => new HostAlarm(globalTimers, deadline, callback),
};

interface ManualAlarm {
  readonly deadline: number;
  readonly callback: () => void;
  active: boolean;
}

/**
 * A clock that only moves when told to: `advance(ms)` moves it forward and fires the alarms
 * that fall due, synchronously. For deterministic timer tests: give it to an executor
 * (`new LocalExecutor({ clock })`).
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const ex = new LocalExecutor({ manual: true, clock });
 * const h = ex.spawn(sleep(100));
 * ex.runUntilStalled();
 * clock.advance(100);
 * ex.runUntilStalled();
 * h.isFinished; // true
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #alarms: ManualAlarm[] = [];

  /** @param start the initial time in milliseconds (default 0). */
  constructor(start = 0) {
    if (!Number.isFinite(start))
      throw new RangeError("ManualClock(start): expected a finite number");
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setAlarm(deadline: number, callback: () => void): AlarmHandle {
    const alarm: ManualAlarm = { deadline, callback, active: true };
    this.#alarms.push(alarm);
    return {
      cancel: () => {
        alarm.active = false;
      },
      keepAlive: () => {},
    };
  }

  /**
   * The earliest armed alarm's deadline, or `undefined` if none is armed.
   *
   * @example
   * ```ts
   * if (clock.nextAlarm !== undefined) clock.advanceTo(clock.nextAlarm);
   * ```
   */
  get nextAlarm(): number | undefined {
    let next: number | undefined;
    for (const a of this.#alarms)
      if (a.active && (next === undefined || a.deadline < next)) next = a.deadline;
    return next;
  }

  /**
   * Moves time forward by `ms` and fires every alarm that falls due.
   *
   * @example
   * ```ts
   * clock.advance(1000);
   * ```
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`ManualClock.advance(ms): expected a finite ms >= 0, got ${ms}`);
    this.advanceTo(this.#now + ms);
  }

  /**
   * Moves time forward to `time` (never backwards) and fires every alarm that falls due.
   *
   * @example
   * ```ts
   * clock.advanceTo(clock.nextAlarm ?? clock.now());
   * ```
   */
  advanceTo(time: number): void {
    if (!Number.isFinite(time))
      throw new RangeError("ManualClock.advanceTo(time): expected a finite number");
    if (time > this.#now) this.#now = time;
    for (;;) {
      const due = this.#alarms.filter((a) => a.active && a.deadline <= this.#now);
      this.#alarms = this.#alarms.filter((a) => a.active && a.deadline > this.#now);
      if (due.length === 0) return;
      due.sort((a, b) => a.deadline - b.deadline);
      for (const a of due) {
        a.active = false;
        a.callback();
      }
    }
  }
}
