/**
 * `interval(ms, { missedTick })`: a stream of ticks every `ms` milliseconds, the first one
 * immediate (tokio's `Interval`).
 *
 * Invariants:
 * - `#next` is the deadline of the next tick; it is set by the first tick's poll (first tick
 *   immediate) or by `reset()`, and moves forward only when a tick completes.
 * - A tick completes when the clock has reached `#next`; it gives the *scheduled* instant, not
 *   the moment it was polled. The following deadline is `#next + period` unless at least one
 *   whole period was missed, in which case `missedTick` decides (see {@link MissedTick}).
 * - A pending tick waits on its own `Sleep` (a timer-driver entry) for `#next`; if `#next`
 *   moved meanwhile (`reset()`), the tick re-arms for the new deadline when it is next polled.
 * - The interval reads its clock from the executor that polls its first tick (virtual under
 *   `SimExecutor`).
 * - After `[Symbol.dispose]()` every tick throws `AbortedError`; the pending tick's timer is
 *   cancelled and its task woken, so nothing waits forever.
 * @module
 */
import { construct } from "../core/construct.js";
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { AbortedError, PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { NextStream } from "../core/next-stream.js";
import { Poll } from "../core/poll.js";
import type { Stream } from "../core/stream.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import { Instant } from "./instant.js";
import { Sleep } from "./sleep.js";
import { type TimerDriver, timerDriver } from "./timer-driver.js";

/**
 * What an {@link Interval} does when ticks were missed (the task was busy, or the process
 * stalled for longer than a period):
 * - `"burst"`: fire the missed ticks back to back until caught up, then keep the original
 *   schedule (ticks at start, start + ms, start + 2·ms, …).
 * - `"delay"`: fire one tick now and schedule the next `ms` after it (the schedule shifts).
 * - `"skip"`: fire one tick now and skip ahead to the next multiple of `ms` on the original
 *   schedule.
 *
 * Only a *whole* missed period counts: a tick that is merely a little late keeps the schedule.
 *
 * @example
 * ```ts
 * const poll = interval(1000, { missedTick: "skip" }); // never fire a backlog of ticks
 * ```
 */
export type MissedTick = "burst" | "delay" | "skip";

/**
 * Options of {@link interval}.
 *
 * @example
 * ```ts
 * const every = interval(250, { missedTick: "delay" });
 * ```
 */
export interface IntervalOptions {
  /**
   * What to do when ticks were missed: see {@link MissedTick}.
   * @default "burst"
   */
  missedTick?: MissedTick;
}

/** An interval's schedule and pending tick, shared with its `Tick` futures. */
class Schedule {
  readonly period: number;
  readonly missedTick: MissedTick;
  next: number | undefined = undefined;
  driver: TimerDriver | undefined = undefined;
  disposed = false;
  waiting: Tick | undefined = undefined;

  constructor(period: number, missedTick: MissedTick) {
    this.period = period;
    this.missedTick = missedTick;
  }

  poll(tick: Tick, cx: Context): Poll<Instant> {
    if (this.disposed) {
      tick.disarm();
      throw new AbortedError("the interval was disposed");
    }
    let driver = this.driver;
    if (driver === undefined) {
      driver = timerDriver();
      this.driver = driver;
    }
    for (let round = 0; round < 2; round++) {
      const now = driver.now();
      if (this.next === undefined) this.next = now;
      const scheduled = this.next;
      if (now >= scheduled) {
        // A due tick (several in a row after a stall, with "burst") spends the task's budget.
        if (!proceed(cx)) return Poll.pending;
        tick.disarm();
        if (this.waiting === tick) this.waiting = undefined;
        this.next = this.following(scheduled, now);
        return { value: new Instant(scheduled) };
      }
      if (tick.wait(scheduled, cx) === Poll.pending) {
        this.waiting = tick;
        return Poll.pending;
      }
    }
    return Poll.pending;
  }

  following(scheduled: number, now: number): number {
    const period = this.period;
    if (now < scheduled + period) return scheduled + period;
    switch (this.missedTick) {
      case "delay":
        return now + period;
      case "skip":
        return scheduled + period * (Math.floor((now - scheduled) / period) + 1);
      default:
        return scheduled + period;
    }
  }
}

/**
 * A periodic timer made by {@link interval}: await `tick()` repeatedly.
 *
 * @example
 * ```ts
 * using every = interval(1000);
 * for (;;) {
 *   const at = yield* every.tick(); // immediately, then every second
 *   report(at);
 * }
 * ```
 */
export class Interval implements Disposable {
  /** The period in milliseconds. */
  readonly period: number;
  /** The missed-tick behaviour. */
  readonly missedTick: MissedTick;
  readonly #schedule: Schedule;

  /** Made by {@link interval}. */
  private constructor(schedule: Schedule) {
    this.period = schedule.period;
    this.missedTick = schedule.missedTick;
    this.#schedule = schedule;
  }

  /**
   * A future that completes at the next tick with its scheduled {@link Instant}. The first
   * tick completes at once.
   *
   * Cancel safety: safe. Dropping a pending tick loses no tick: the next `tick()` still
   * completes at the same deadline.
   *
   * @example
   * ```ts
   * const at = yield* every.tick();
   * ```
   */
  tick(): Future<Instant> {
    return new Tick(this.#schedule);
  }

  /**
   * A {@link Stream} of this interval's ticks (their scheduled {@link Instant}s), following its
   * `missedTick` rule; it ends when the interval is disposed. Dropping the stream cancels a
   * pending tick's timer and leaves the interval running on schedule.
   *
   * Cancel safety: safe, like `tick()`: no tick is lost by dropping `next()`.
   *
   * @example
   * ```ts
   * yield* interval(1000).stream().pipe(take(3), forEach((at) => console.log(at)));
   * ```
   */
  stream(): Stream<Instant> {
    return new NextStream(
      () => this.tick(),
      (at: Instant) => ({ done: false, value: at }),
      "Interval.stream()",
      (error) => error instanceof AbortedError,
    );
  }

  /**
   * Restarts the schedule: the next tick comes one period from now.
   *
   * @example
   * ```ts
   * if (gotHeartbeat) heartbeatCheck.reset();
   * ```
   */
  reset(): void {
    const schedule = this.#schedule;
    const driver = schedule.driver ?? timerDriver();
    schedule.driver = driver;
    schedule.next = driver.now() + this.period;
  }

  /**
   * Stops the interval: a pending tick's timer is cancelled and it, like every later tick,
   * throws `AbortedError`.
   *
   * @example
   * ```ts
   * { using every = interval(100); yield* every.tick(); } // disposed here
   * ```
   */
  [Symbol.dispose](): void {
    const schedule = this.#schedule;
    if (schedule.disposed) return;
    schedule.disposed = true;
    const tick = schedule.waiting;
    schedule.waiting = undefined;
    tick?.interrupt();
  }
}

class Tick extends Future<Instant> {
  readonly #interval: Schedule;
  #sleep: Sleep | undefined = undefined;
  #waker: Waker | undefined = undefined;
  #done = false;

  constructor(interval: Schedule) {
    super();
    this.#interval = interval;
  }

  poll(cx: Context): Poll<Instant> {
    if (this.#done) throw new PollAfterReadyError("interval tick");
    let p: Poll<Instant>;
    try {
      p = this.#interval.poll(this, cx);
    } catch (error) {
      this.#done = true;
      throw error;
    }
    if (p !== Poll.pending) this.#done = true;
    return p;
  }

  /** Waits for `deadline` on this tick's own sleep (re-armed if the deadline moved). */
  wait(deadline: number, cx: Context): Poll<void> {
    let sleep = this.#sleep;
    if (sleep === undefined || sleep.deadline !== deadline) {
      sleep?.drop();
      sleep = new Sleep(0, new Instant(deadline));
      this.#sleep = sleep;
    }
    const waker = this.#waker;
    this.#waker = registerWaker(waker, cx);
    const p = sleep.poll(cx);
    if (p !== Poll.pending) this.#sleep = undefined;
    return p;
  }

  /** Cancels the timer. */
  disarm(): void {
    this.#sleep?.drop();
    this.#sleep = undefined;
    this.#waker = undefined;
  }

  /** The interval was disposed: cancel the timer and wake the task so it sees that. */
  interrupt(): void {
    const waker = this.#waker;
    this.disarm();
    waker?.wake();
  }

  override drop(): void {
    this.#done = true;
    this.disarm();
  }

  override describe(): string {
    return `interval(${this.#interval.period}).tick()`;
  }
}

const MISSED_TICK: readonly string[] = ["burst", "delay", "skip"];

/**
 * A periodic timer: `tick()` completes immediately the first time, then every `ms`
 * milliseconds on the executor's clock (virtual under `SimExecutor`). All ticks share the
 * executor's one timer driver.
 *
 * Cancel safety: `tick()` is safe to drop (no tick is lost). Dispose the interval when done
 * (`using every = interval(ms)`); a pending tick then throws `AbortedError`.
 *
 * @example
 * ```ts
 * const heartbeat = future(function* () {
 *   using every = interval(5000, { missedTick: "skip" });
 *   for (;;) {
 *     yield* every.tick();
 *     yield* sendHeartbeat();
 *   }
 * });
 * ```
 */
export function interval(ms: number, options?: IntervalOptions): Interval {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`interval(ms): ms must be a finite number > 0, got ${String(ms)}`);
  }
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError("interval(ms, options): options must be an object");
  }
  const missedTick = options?.missedTick ?? "burst";
  if (!MISSED_TICK.includes(missedTick)) {
    throw new RangeError(
      `interval(ms, options): options.missedTick must be "burst", "delay" or "skip", got ${String(missedTick)}`,
    );
  }
  return construct<Interval>(Interval, new Schedule(ms, missedTick as MissedTick));
}
