/**
 * `exponentialBackoff(options)`: the delay schedule `retry` waits by between attempts.
 *
 * Invariants:
 * - The delay before retry `n` (1-based) is `min(maxMs, initialMs * factor ** (n - 1))`, then
 *   reduced by a random fraction of at most `jitter` of itself.
 * - The random draw comes from the executor's random source (seeded under `SimExecutor`, so a
 *   simulated run with jitter replays exactly), else `Math.random()`.
 * @module
 */
import { RT } from "../core/runtime.js";

/**
 * Options of {@link exponentialBackoff}; every one is optional.
 *
 * @example
 * ```ts
 * const options: ExponentialBackoffOptions = { initialMs: 50, factor: 3, maxMs: 5_000, jitter: 1 };
 * ```
 */
export interface ExponentialBackoffOptions {
  /**
   * The delay before the first retry, in milliseconds.
   * @default 1000
   */
  initialMs?: number;
  /**
   * How much each delay grows over the previous one (1 keeps it constant).
   * @default 2
   */
  factor?: number;
  /**
   * The longest delay, in milliseconds.
   * @default Infinity
   */
  maxMs?: number;
  /**
   * How much randomness to take off each delay, from 0 (none: `delay`) to 1 ("full jitter":
   * anywhere in `[0, delay)`); 0.5 gives `[delay / 2, delay)`. Jitter spreads out clients that
   * failed together, so they do not retry in lockstep.
   * @default 0
   */
  jitter?: number;
}

/**
 * A back-off schedule: the delay in milliseconds before retry number `retry` (1-based). Any
 * function will do.
 *
 * @example
 * ```ts
 * const linear: Backoff = (retry) => retry * 250;
 * ```
 */
export type Backoff = (retry: number) => number;

function option(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    throw new RangeError(
      `exponentialBackoff(options): options.${name} must be a number between ${min} and ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * A back-off schedule for {@link retry}: `initialMs`, then growing by `factor` each retry, at
 * most `maxMs`, with an optional `jitter`. The defaults are p-retry's (1 s, doubling, no cap,
 * no randomness).
 *
 * @example
 * ```ts
 * import { exponentialBackoff, fromPromise, retry } from "wakeful";
 *
 * const backoff = exponentialBackoff({ initialMs: 100, factor: 2, maxMs: 2_000, jitter: 0.5 });
 * backoff(1); // in [50, 100)
 * backoff(3); // in [200, 400)
 * const body = retry(() => fromPromise(() => fetch("http://127.0.0.1:8080/")), { backoff });
 * ```
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  if (options === null || typeof options !== "object") {
    throw new TypeError("exponentialBackoff(options): options must be an object");
  }
  const initialMs = option(options.initialMs, "initialMs", 1000, 0, Number.MAX_VALUE);
  const factor = option(options.factor, "factor", 2, 1, Number.MAX_VALUE);
  const maxMs = option(
    options.maxMs,
    "maxMs",
    Number.POSITIVE_INFINITY,
    0,
    Number.POSITIVE_INFINITY,
  );
  const jitter = option(options.jitter, "jitter", 0, 0, 1);
  if (maxMs < initialMs) {
    throw new RangeError(
      `exponentialBackoff(options): options.maxMs (${maxMs}) must be >= options.initialMs (${initialMs})`,
    );
  }
  return (retry: number): number => {
    if (!Number.isInteger(retry) || retry < 1) {
      throw new RangeError(`backoff(retry): retry must be an integer >= 1, got ${String(retry)}`);
    }
    const delay = Math.min(maxMs, initialMs * factor ** (retry - 1));
    if (jitter === 0) return delay;
    const random = RT.context?.random;
    return delay * (1 - jitter * (random === undefined ? Math.random() : random()));
  };
}
