/**
 * `Instant`: a point in time on the current executor's clock (virtual under `SimExecutor`).
 * @module
 */
import { timerDriver } from "./timer-driver.js";

/**
 * A point on the current executor's clock, in milliseconds. Only differences between instants
 * of the same clock are meaningful.
 *
 * @example
 * ```ts
 * const start = Instant.now();
 * yield* work();
 * console.log(`took ${start.elapsed()} ms`);
 * ```
 */
export class Instant {
  /** Milliseconds on the clock it was read from. */
  readonly ms: number;

  constructor(ms: number) {
    if (typeof ms !== "number" || !Number.isFinite(ms)) {
      throw new RangeError(`Instant(ms): expected a finite number, got ${String(ms)}`);
    }
    this.ms = ms;
  }

  /**
   * The current time on the current executor's clock.
   *
   * @example
   * ```ts
   * const t0 = Instant.now();
   * ```
   */
  static now(): Instant {
    return new Instant(timerDriver().now());
  }

  /**
   * This instant moved `ms` later (or earlier for negative `ms`).
   *
   * @example
   * ```ts
   * const deadline = Instant.now().add(5000);
   * ```
   */
  add(ms: number): Instant {
    if (typeof ms !== "number" || !Number.isFinite(ms)) {
      throw new RangeError(`Instant.add(ms): expected a finite number, got ${String(ms)}`);
    }
    return new Instant(this.ms + ms);
  }

  /**
   * Milliseconds from `earlier` to this instant (0 if `earlier` is later).
   *
   * @example
   * ```ts
   * const took = end.since(start);
   * ```
   */
  since(earlier: Instant): number {
    return Math.max(0, this.ms - earlier.ms);
  }

  /**
   * Milliseconds elapsed since this instant, on the current executor's clock.
   *
   * @example
   * ```ts
   * if (start.elapsed() > 1000) console.warn("slow");
   * ```
   */
  elapsed(): number {
    return Instant.now().since(this);
  }
}
