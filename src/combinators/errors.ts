/**
 * The errors of the combinators layer.
 * @module
 */

/**
 * Thrown by `timeout(ms, fut)` when the time ran out; `fut` has been dropped by then.
 *
 * @example
 * ```ts
 * try { yield* timeout(5000, fetchUser(id)); }
 * catch (e) { if (e instanceof TimeoutError) console.log(e.ms); }
 * ```
 */
export class TimeoutError extends Error {
  /** Always `"TimeoutError"`. */
  override readonly name = "TimeoutError";
  /** The deadline that elapsed, in milliseconds. */
  readonly ms: number;
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.ms = ms;
  }
}
