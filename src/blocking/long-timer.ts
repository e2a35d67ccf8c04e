/**
 * `LongTimer`: a one-shot timer for any duration over host timers that cannot wait longer than
 * 2^31−1 ms (Node fires a longer `setTimeout` after 1 ms, with a `TimeoutOverflowWarning`, so
 * an idle thread would be retired at once, or a re-armed wait would spin every millisecond).
 * It chains host timers of at most {@link MAX_HOST_DELAY} until the whole duration has passed.
 *
 * Invariants: at most one host timer is pending per `LongTimer`; `fire` runs once, never
 * before `ms` have passed in total, and never after `cancel()`.
 * @module
 */

/** The host's timers, as the blocking pool uses them (unref'd ones, on Node). */
export interface HostTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The longest delay a host timer honours: 2^31−1 ms (about 24.8 days). */
export const MAX_HOST_DELAY = 2 ** 31 - 1;

/** Runs `fire` once after `ms` (finite, ≥ 0) unless cancelled first; see the module invariants. */
export class LongTimer {
  readonly #timers: HostTimers;
  readonly #fire: () => void;
  #remaining: number;
  #handle: unknown = undefined;
  #armed = false;

  /**
   * Arms the timer.
   *
   * @example
   * ```ts
   * const timer = new LongTimer(timers, 30 * 24 * 3600 * 1000, () => retire()); // 30 days
   * timer.cancel();
   * ```
   */
  constructor(timers: HostTimers, ms: number, fire: () => void) {
    this.#timers = timers;
    this.#fire = fire;
    this.#remaining = ms;
    this.#arm();
  }

  /** Stops the timer; `fire` will not run. Idempotent. */
  cancel(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  #arm(): void {
    const step = Math.min(this.#remaining, MAX_HOST_DELAY);
    this.#remaining -= step;
    this.#armed = true;
    this.#handle = this.#timers.setTimeout(() => this.#elapsed(), step);
  }

  #elapsed(): void {
    this.#armed = false;
    this.#handle = undefined;
    if (this.#remaining > 0) this.#arm();
    else this.#fire();
  }
}
