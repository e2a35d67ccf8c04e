/**
 * The timer driver: every timer of an executor lives in one binary min-heap behind a single
 * alarm of the executor's clock (never one host timer per sleep).
 *
 * Invariants:
 * - The heap is ordered by (deadline, seq); `seq` grows with each insertion, so timers with
 *   equal deadlines fire in the order they were registered (deterministic under simulation).
 * - `entry.heapIndex` is the entry's index in the heap, or -1 when it is not in it. Only this
 *   file writes it.
 * - Whenever the heap is non-empty an alarm is armed at or before its earliest deadline and
 *   keeps the process alive. When the heap empties, the alarm is left armed but stops keeping
 *   the process alive (cheaper than disarming it for a timer that is re-added at once); an
 *   alarm that fires early, or for nothing, just re-arms.
 * - `fire()` removes every due entry before waking any of them.
 * - Drivers are per executor (`timerDriver()` reads the current executor); outside any
 *   executor, or under one that was given no clock, a shared default driver on the system
 *   clock is used, so leaf futures work under any executor.
 * @module
 */
import { currentExecutor, type Executor } from "../executor/executor.js";
import { type AlarmHandle, type Clock, systemClock } from "./clock.js";

/** Something the driver can hold: a deadline and what to do when it is reached. */
export interface TimerEntry {
  /** Absolute deadline in the driver's clock milliseconds. */
  deadline: number;
  /** Tie-breaker, set by the driver. */
  seq: number;
  /** Index in the heap or -1; owned by the driver. */
  heapIndex: number;
  /** Called once when the deadline is reached (after the entry left the heap). */
  fire(): void;
}

/**
 * Holds an executor's timers and fires them through one alarm of its clock.
 *
 * @example
 * ```ts
 * const driver = new TimerDriver(new ManualClock());
 * driver.insert(entry);
 * driver.fire(); // fires what is due now
 * ```
 */
export class TimerDriver {
  readonly clock: Clock;
  readonly #heap: TimerEntry[] = [];
  #seq = 0;
  #alarm: AlarmHandle | undefined = undefined;
  #alarmAt = Number.POSITIVE_INFINITY;
  #alarmHeld = false;
  readonly #onAlarm = (): void => {
    this.#alarm = undefined;
    this.#alarmAt = Number.POSITIVE_INFINITY;
    this.fire();
  };

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** The clock's current time. */
  now(): number {
    return this.clock.now();
  }

  /** Number of registered timers. */
  get size(): number {
    return this.#heap.length;
  }

  /** The earliest deadline, or `undefined` when no timer is registered. */
  get nextDeadline(): number | undefined {
    return this.#heap[0]?.deadline;
  }

  /** Registers `entry` (which must not be registered already). */
  insert(entry: TimerEntry): void {
    const heap = this.#heap;
    entry.seq = this.#seq++;
    entry.heapIndex = heap.length;
    heap.push(entry);
    this.#up(entry.heapIndex);
    this.#arm();
  }

  /** Deregisters `entry` if it is registered. */
  remove(entry: TimerEntry): void {
    const i = entry.heapIndex;
    if (i < 0) return;
    const heap = this.#heap;
    const last = heap.pop() as TimerEntry;
    entry.heapIndex = -1;
    if (last !== entry) {
      heap[i] = last;
      last.heapIndex = i;
      this.#down(i);
      this.#up(last.heapIndex);
    }
    if (heap.length === 0) this.#release();
  }

  /** Fires every timer whose deadline has been reached; returns how many fired. */
  fire(): number {
    const heap = this.#heap;
    const now = this.clock.now();
    let due: TimerEntry[] | undefined;
    while (heap.length > 0 && (heap[0] as TimerEntry).deadline <= now) {
      const top = heap[0] as TimerEntry;
      this.remove(top);
      if (due === undefined) due = [top];
      else due.push(top);
    }
    this.#arm();
    if (due === undefined) return 0;
    for (const entry of due) entry.fire();
    return due.length;
  }

  #arm(): void {
    const heap = this.#heap;
    if (heap.length === 0) {
      this.#release();
      return;
    }
    const deadline = (heap[0] as TimerEntry).deadline;
    if (this.#alarm !== undefined && this.#alarmAt <= deadline) {
      if (!this.#alarmHeld) {
        this.#alarm.keepAlive(true);
        this.#alarmHeld = true;
      }
      return;
    }
    this.#alarm?.cancel();
    this.#alarmAt = deadline;
    this.#alarmHeld = true;
    this.#alarm = this.clock.setAlarm(deadline, this.#onAlarm);
  }

  #release(): void {
    if (this.#alarm !== undefined && this.#alarmHeld) {
      this.#alarm.keepAlive(false);
      this.#alarmHeld = false;
    }
  }

  #less(a: TimerEntry, b: TimerEntry): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  #up(i: number): void {
    const heap = this.#heap;
    const entry = heap[i] as TimerEntry;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as TimerEntry;
      if (!this.#less(entry, parent)) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const entry = heap[i] as TimerEntry;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child =
        right < n && this.#less(heap[right] as TimerEntry, heap[left] as TimerEntry) ? right : left;
      const c = heap[child] as TimerEntry;
      if (!this.#less(c, entry)) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }
}

const drivers = new WeakMap<Executor, TimerDriver>();
let defaultDriver: TimerDriver | undefined;

/**
 * The timer driver of the current executor (created on first use, on the system clock unless
 * `useClock` gave the executor another), or the shared default driver outside any executor.
 *
 * @example
 * ```ts
 * const deadline = timerDriver().now() + 100;
 * ```
 */
export function timerDriver(): TimerDriver {
  const executor = currentExecutor();
  if (executor === undefined) {
    if (defaultDriver === undefined) defaultDriver = new TimerDriver(systemClock);
    return defaultDriver;
  }
  let driver = drivers.get(executor);
  if (driver === undefined) {
    driver = new TimerDriver(systemClock);
    drivers.set(executor, driver);
  }
  return driver;
}

/**
 * Gives `executor` its own clock: every timer created while it polls (sleep, interval, timeout,
 * Instant) then reads `clock`. Call it before the executor runs anything that uses time.
 * `SimExecutor` does this with its virtual clock.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const ex = new LocalExecutor();
 * useClock(ex, clock);
 * ```
 */
export function useClock(executor: Executor, clock: Clock): TimerDriver {
  if (executor === null || typeof executor !== "object") {
    throw new TypeError("useClock(executor, clock): expected an Executor");
  }
  if (
    clock === null ||
    typeof clock !== "object" ||
    typeof clock.now !== "function" ||
    typeof clock.setAlarm !== "function"
  ) {
    throw new TypeError("useClock(executor, clock): expected a Clock with now() and setAlarm()");
  }
  const existing = drivers.get(executor);
  if (existing !== undefined && existing.size > 0) {
    throw new Error("useClock: the executor already has timers running on another clock");
  }
  const driver = new TimerDriver(clock);
  drivers.set(executor, driver);
  return driver;
}
