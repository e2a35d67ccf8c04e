/**
 * Clocks: where time comes from. A timer driver reads `now()` and arms at most one alarm at a
 * time through its clock; the system clock arms a host timer, a `ManualClock` fires alarms only
 * when the test (or the simulation executor) advances it.
 *
 * Invariant: `now()` never goes backwards.
 * @module
 */

/** The single alarm a timer driver keeps armed. */
export interface AlarmHandle {
  /** Disarms the alarm. */
  cancel(): void;
  /** Whether the alarm keeps the host process alive (Node's ref/unref); a no-op elsewhere. */
  keepAlive(on: boolean): void;
}

/**
 * A source of time in milliseconds, and a way to be called back at a deadline. This is the
 * seam that lets tests and `SimExecutor` run timers on virtual time.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => performance.now(), setAlarm: (at, cb) => … };
 * ```
 */
export interface Clock {
  /** The current time in milliseconds; never decreases. */
  now(): number;
  /** Calls `callback` once, at or after `deadline` (in this clock's milliseconds). */
  setAlarm(deadline: number, callback: () => void): AlarmHandle;
}

type HostTimer = { ref?(): unknown; unref?(): unknown };

/**
 * The host's monotonic clock (`performance.now()`) with `setTimeout` alarms.
 *
 * @example
 * ```ts
 * const started = systemClock.now();
 * ```
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setAlarm(deadline, callback) {
    const delay = Math.max(0, Math.ceil(deadline - performance.now()));
    const timer = setTimeout(callback, delay) as unknown as HostTimer;
    return {
      cancel: () => clearTimeout(timer as unknown as ReturnType<typeof setTimeout>),
      keepAlive: (on) => void (on ? timer.ref?.() : timer.unref?.()),
    };
  },
};

interface ManualAlarm {
  readonly deadline: number;
  readonly callback: () => void;
  active: boolean;
}

/**
 * A clock that only moves when told to: `advance(ms)` moves it forward and fires the alarms
 * that fall due, synchronously. For deterministic timer tests (see `useClock`).
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const ex = new LocalExecutor({ manual: true });
 * useClock(ex, clock);
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
