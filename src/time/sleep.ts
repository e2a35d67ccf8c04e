/**
 * `sleep(ms)` and `sleepUntil(instant)`.
 *
 * A `Sleep` is its own timer entry (no allocation besides the future). It registers with the
 * driver of the executor polling it on its first poll and deregisters when dropped, so dropping
 * a sleep is enough to cancel it.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll, READY_VOID } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";
import type { Instant } from "./instant.js";
import {
  type TimerBucket,
  type TimerDriver,
  type TimerEntry,
  timerDriver,
} from "./timer-driver.js";

const NEW = 0;
const WAITING = 1;
const FIRED = 2;
const DONE = 3;

/**
 * The future `sleep(ms)` and `sleepUntil(deadline)` return (also the timer behind `timeout` and
 * `interval`). Besides being awaited, it can be re-armed in place with {@link Sleep.reset}.
 *
 * @example
 * ```ts
 * const idle = sleep(30_000);
 * // … in a select loop, on activity:
 * idle.reset(Instant.now().add(30_000));
 * ```
 */
export class Sleep extends Future<void> {
  /** @internal */
  deadline = 0;
  /** @internal */
  timerBucket: TimerBucket | undefined = undefined;
  /** @internal */
  timerPrev: TimerEntry | undefined = undefined;
  /** @internal */
  timerNext: TimerEntry | undefined = undefined;
  #state = NEW;
  #ms: number;
  #until: Instant | undefined;
  #driver: TimerDriver | undefined = undefined;
  #waker: Waker | undefined = undefined;

  /** @internal Made by `sleep`, `sleepUntil`, `timeout` and `interval`. */
  constructor(ms: number, until: Instant | undefined) {
    super();
    this.#ms = ms;
    this.#until = until;
  }

  poll(cx: Context): Poll<void> {
    switch (this.#state) {
      case NEW: {
        const driver = timerDriver();
        const now = driver.now();
        this.deadline = this.#until === undefined ? now + this.#ms : this.#until.ms;
        if (this.deadline <= now) {
          // Already due (`sleep(0)`): complete now if the task's budget allows, else next turn.
          if (!proceed(cx)) return Poll.pending;
          this.#state = DONE;
          return READY_VOID;
        }
        this.#driver = driver;
        this.#waker = cx.waker;
        this.#state = WAITING;
        driver.insert(this);
        return Poll.pending;
      }
      case WAITING:
        this.#waker = registerWaker(this.#waker, cx);
        return Poll.pending;
      case FIRED:
        if (!proceed(cx)) return Poll.pending;
        this.#state = DONE;
        return READY_VOID;
      default:
        throw new PollAfterReadyError("sleep");
    }
  }

  /**
   * Re-arms the sleep to complete at `deadline`, in place: whether it is waiting, already
   * fired or even completed, the next poll waits for the new deadline (at once if it has
   * passed). A task waiting on it is woken to re-register. Keeps the sleep a single timer
   * across the turns of a `select` loop (with `byRef`), as tokio's `Sleep::reset`.
   *
   * @example
   * ```ts
   * const deadline = sleep(1000);
   * for (;;) {
   *   const r = yield* select(byRef(deadline), rx.recv());
   *   if (r.index === 0) break; // 1 s without a message
   *   deadline.reset(Instant.now().add(1000));
   * }
   * ```
   */
  reset(deadline: Instant): void {
    if (deadline === null || typeof deadline !== "object" || typeof deadline.ms !== "number") {
      throw new TypeError("sleep.reset(deadline): expected an Instant");
    }
    if (this.#state === WAITING) this.#driver?.remove(this);
    const waker = this.#waker;
    this.#state = NEW;
    this.#until = deadline;
    this.#driver = undefined;
    this.#waker = undefined;
    waker?.wake();
  }

  /** @internal Called by the driver when the deadline is reached. */
  fire(): void {
    if (this.#state !== WAITING) return;
    this.#state = FIRED;
    const waker = this.#waker as Waker;
    this.#waker = undefined;
    waker.wake();
  }

  override drop(): void {
    if (this.#state === WAITING) this.#driver?.remove(this);
    this.#state = DONE;
    this.#waker = undefined;
    this.#driver = undefined;
  }

  override describe(): string {
    return this.#until === undefined ? `sleep(${this.#ms})` : `sleepUntil(${this.#until.ms})`;
  }
}

/** Validates a duration argument: a finite number >= 0. */
export function checkMs(ms: unknown, where: string): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${where}: ms must be a finite number >= 0, got ${String(ms)}`);
  }
  return ms;
}

/**
 * A future that completes `ms` milliseconds after its first poll, on the clock of the executor
 * polling it (virtual under `SimExecutor`). `sleep(0)` is ready on its first poll.
 *
 * Cancel safety: safe. Dropping the sleep is enough to cancel its timer; a dropped sleep keeps
 * nothing alive.
 *
 * Cooperative scheduling: completing without waiting spends one unit of the task's budget
 * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
 * lets others run.
 *
 * @example
 * ```ts
 * const slow = future(function* () {
 *   yield* sleep(1000);
 *   return "done";
 * });
 * ```
 */
export function sleep(ms: number): Sleep {
  return new Sleep(checkMs(ms, "sleep(ms)"), undefined);
}

/**
 * A future that completes when the clock reaches `deadline` (at once if it already has).
 *
 * Cancel safety: safe; dropping it cancels its timer.
 *
 * @example
 * ```ts
 * const start = Instant.now();
 * yield* sleepUntil(start.add(500));
 * ```
 */
export function sleepUntil(deadline: Instant): Sleep {
  if (deadline === null || typeof deadline !== "object" || typeof deadline.ms !== "number") {
    throw new TypeError("sleepUntil(deadline): expected an Instant");
  }
  return new Sleep(0, deadline);
}
