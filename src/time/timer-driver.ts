/**
 * The timer driver: every timer of an executor is held here, behind a single alarm of the
 * executor's clock (never one host timer per sleep).
 *
 * Layout: timers are grouped in *buckets*, one per whole millisecond of deadline (the deadline
 * rounded up), each an intrusive doubly-linked FIFO list; a small binary min-heap orders the
 * buckets, and a Map finds a bucket by its millisecond. Registering or cancelling a timer is
 * O(1) when its bucket exists (the common case: many timers share few distinct milliseconds),
 * O(log buckets) otherwise; nothing is allocated per timer. A bucket falls due once the latest
 * deadline registered in it has passed (at the latest at its millisecond), so a timer never
 * fires before its deadline and, like a host timer of the same delay, not a millisecond after.
 *
 * Invariants:
 * - An entry is registered iff `entry.timerBucket` is its bucket; `timerPrev`/`timerNext` link
 *   it within that bucket, in registration order, so timers due in the same millisecond fire
 *   in the order they were registered (deterministic under simulation). Only this file writes
 *   these three fields.
 * - `bucket.latest` is the latest deadline registered in the bucket since it was last empty
 *   (a cancelled timer may leave it later than needed, never earlier); it lies in
 *   `(at − 1, at]`, so the heap's order by `at` is also the order of `latest`, and the alarm is
 *   armed for the top bucket's `latest`.
 * - A bucket is in `#buckets` iff it is in the heap (at `bucket.heapIndex`). A bucket that
 *   empties stays there (counted in `#empty`) so the next timer of the same millisecond reuses
 *   it: a loop of timeouts that win costs no Map or heap operation per timer. Empty buckets are
 *   dropped when they reach the top of the heap, and all at once when they outnumber the
 *   non-empty ones (so they never pile up); the top of the heap is cleaned before it is read.
 * - Whenever a timer is registered an alarm is armed at or before the earliest bucket and
 *   keeps the process alive. When the last timer goes, the alarm is left armed but stops
 *   keeping the process alive (cheaper than disarming it for a timer that is re-added at
 *   once); an alarm that fires early, or for nothing, just re-arms.
 * - Releasing the alarm is deferred to a microtask: a timer cancelled and replaced at once (a
 *   `timeout` whose future wins, in a loop) then costs no ref/unref of the host timer. Liveness
 *   is only judged when the host's event loop is idle, long after that microtask ran.
 * - `fire()` deregisters every due entry before firing any of them, so an entry's `fire` may
 *   register or cancel timers freely.
 * - Drivers are per executor, kept in its runtime context (`timerDriver()` reads the current
 *   one); outside any executor a shared default driver on the system clock is used, so leaf
 *   futures work under any executor.
 * @module
 */
import { RT } from "../core/runtime.js";
import { type AlarmHandle, type Clock, systemClock } from "./clock.js";

/** Something the driver can hold: a deadline and what to do when it is reached. */
export interface TimerEntry {
  /** Absolute deadline in the driver's clock milliseconds. */
  deadline: number;
  /** Owned by the driver: the bucket holding the entry, while it is registered. */
  timerBucket: TimerBucket | undefined;
  /** Owned by the driver: the previous entry in the bucket. */
  timerPrev: TimerEntry | undefined;
  /** Owned by the driver: the next entry in the bucket. */
  timerNext: TimerEntry | undefined;
  /** Called once when the deadline is reached (after the entry was deregistered). */
  fire(): void;
}

/** @internal The timers due in one millisecond; owned by the driver. */
export interface TimerBucket {
  readonly at: number;
  latest: number;
  heapIndex: number;
  head: TimerEntry | undefined;
  tail: TimerEntry | undefined;
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
  /** Where this driver reads the time and arms its alarm. */
  readonly clock: Clock;
  readonly #heap: TimerBucket[] = [];
  readonly #buckets = new Map<number, TimerBucket>();
  #size = 0;
  #empty = 0;
  #alarm: AlarmHandle | undefined = undefined;
  #alarmAt = Number.POSITIVE_INFINITY;
  #alarmHeld = false;
  #releaseQueued = false;
  readonly #releaseIfIdle = (): void => {
    this.#releaseQueued = false;
    if (this.#size === 0 && this.#alarm !== undefined && this.#alarmHeld) {
      this.#alarm.keepAlive(false);
      this.#alarmHeld = false;
    }
  };
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
    return this.#size;
  }

  /**
   * When the earliest timer falls due (its deadline rounded up to the millisecond), or
   * `undefined` when no timer is registered.
   */
  get nextDeadline(): number | undefined {
    return this.#top()?.at;
  }

  /** Registers `entry` (which must not be registered already). */
  insert(entry: TimerEntry): void {
    const deadline = entry.deadline;
    const at = Math.ceil(deadline);
    let bucket = this.#buckets.get(at);
    if (bucket === undefined) {
      bucket = { at, latest: deadline, heapIndex: this.#heap.length, head: entry, tail: entry };
      this.#buckets.set(at, bucket);
      this.#heap.push(bucket);
      this.#up(bucket.heapIndex);
      entry.timerPrev = undefined;
    } else {
      const tail = bucket.tail;
      if (tail === undefined) {
        this.#empty--;
        bucket.head = entry;
        bucket.latest = deadline;
      } else {
        tail.timerNext = entry;
        if (deadline > bucket.latest) bucket.latest = deadline;
      }
      entry.timerPrev = tail;
      bucket.tail = entry;
    }
    entry.timerNext = undefined;
    entry.timerBucket = bucket;
    this.#size++;
    if (this.#alarmHeld && this.#alarmAt <= bucket.latest) return;
    this.#arm();
  }

  /** Deregisters `entry` if it is registered. */
  remove(entry: TimerEntry): void {
    const bucket = entry.timerBucket;
    if (bucket === undefined) return;
    const prev = entry.timerPrev;
    const next = entry.timerNext;
    if (prev === undefined) bucket.head = next;
    else prev.timerNext = next;
    if (next === undefined) bucket.tail = prev;
    else next.timerPrev = prev;
    entry.timerBucket = entry.timerPrev = entry.timerNext = undefined;
    this.#size--;
    if (bucket.head === undefined && ++this.#empty > 32 && this.#empty * 2 > this.#heap.length) {
      this.#compact();
    }
    if (this.#size === 0) this.#release();
  }

  /** Fires every timer whose deadline has been reached; returns how many fired. */
  fire(): number {
    const now = this.clock.now();
    let due: TimerEntry[] | undefined;
    for (;;) {
      const bucket = this.#top();
      if (bucket === undefined || bucket.latest > now) break;
      this.#removeBucket(bucket);
      if (due === undefined) due = [];
      let entry: TimerEntry | undefined = bucket.head;
      while (entry !== undefined) {
        const next: TimerEntry | undefined = entry.timerNext;
        entry.timerBucket = entry.timerPrev = entry.timerNext = undefined;
        due.push(entry);
        entry = next;
      }
      bucket.head = bucket.tail = undefined;
    }
    if (due === undefined) {
      this.#arm();
      return 0;
    }
    this.#size -= due.length;
    this.#arm();
    for (let i = 0; i < due.length; i++) (due[i] as TimerEntry).fire();
    return due.length;
  }

  #removeBucket(bucket: TimerBucket): void {
    this.#buckets.delete(bucket.at);
    const heap = this.#heap;
    const i = bucket.heapIndex;
    const last = heap.pop() as TimerBucket;
    bucket.heapIndex = -1;
    if (last !== bucket) {
      heap[i] = last;
      last.heapIndex = i;
      this.#down(i);
      this.#up(last.heapIndex);
    }
  }

  /** The earliest non-empty bucket, after dropping the empty ones above it. */
  #top(): TimerBucket | undefined {
    const heap = this.#heap;
    let top = heap[0];
    while (top !== undefined && top.head === undefined) {
      this.#removeBucket(top);
      this.#empty--;
      top = heap[0];
    }
    return top;
  }

  /** Drops every empty bucket and rebuilds the heap. */
  #compact(): void {
    const heap = this.#heap;
    let n = 0;
    for (let i = 0; i < heap.length; i++) {
      const bucket = heap[i] as TimerBucket;
      if (bucket.head === undefined) {
        this.#buckets.delete(bucket.at);
        bucket.heapIndex = -1;
      } else {
        heap[n] = bucket;
        bucket.heapIndex = n++;
      }
    }
    heap.length = n;
    this.#empty = 0;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #arm(): void {
    const top = this.#top();
    if (top === undefined) {
      this.#release();
      return;
    }
    const at = top.latest;
    if (this.#alarm !== undefined && this.#alarmAt <= at) {
      if (!this.#alarmHeld) {
        this.#alarm.keepAlive(true);
        this.#alarmHeld = true;
      }
      return;
    }
    this.#alarm?.cancel();
    this.#alarmAt = at;
    this.#alarmHeld = true;
    this.#alarm = this.clock.setAlarm(at, this.#onAlarm);
  }

  #release(): void {
    if (this.#alarm !== undefined && this.#alarmHeld && !this.#releaseQueued) {
      this.#releaseQueued = true;
      queueMicrotask(this.#releaseIfIdle);
    }
  }

  #up(i: number): void {
    const heap = this.#heap;
    const bucket = heap[i] as TimerBucket;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as TimerBucket;
      if (parent.at <= bucket.at) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    heap[i] = bucket;
    bucket.heapIndex = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const bucket = heap[i] as TimerBucket;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child =
        right < n && (heap[right] as TimerBucket).at < (heap[left] as TimerBucket).at
          ? right
          : left;
      const c = heap[child] as TimerBucket;
      if (c.at >= bucket.at) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = bucket;
    bucket.heapIndex = i;
  }
}

let defaultDriver: TimerDriver | undefined;

/**
 * The timer driver of the current executor, kept in its runtime context and made on first use
 * on the context's clock (the system clock unless the executor was given another), or a shared
 * default driver on the system clock outside any executor.
 *
 * @example
 * ```ts
 * const deadline = timerDriver().now() + 100;
 * ```
 */
export function timerDriver(): TimerDriver {
  const context = RT.context;
  if (context === undefined) {
    if (defaultDriver === undefined) defaultDriver = new TimerDriver(systemClock);
    return defaultDriver;
  }
  let driver = context.timers as TimerDriver | undefined;
  if (driver === undefined) {
    driver = new TimerDriver(context.clock ?? systemClock);
    context.timers = driver;
  }
  return driver;
}
