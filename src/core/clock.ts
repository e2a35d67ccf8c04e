/**
 * The `Clock` seam: where an executor's timers read the time and arm their one alarm. Only the
 * interfaces live here, so that an executor can be given a clock without the core or the
 * executor layer depending on the time layer; the clocks themselves (`systemClock`,
 * `ManualClock`) are in time/clock.ts.
 *
 * Invariants every clock keeps: `now()` never goes backwards, and an alarm never calls back
 * before its deadline.
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
