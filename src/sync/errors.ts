/**
 * Error classes specific to the sync layer (the shared ones, `SendError`, `RecvError` and
 * `AcquireError`, live in core/errors.ts). Each class sets `name`.
 * @module
 */

/**
 * A broadcast receiver fell behind: `missed` messages were overwritten before it read them.
 * The receiver has been moved to the oldest message still held, so the next `recv()` goes on
 * from there (tokio's `RecvError::Lagged`).
 *
 * @example
 * ```ts
 * try { r = yield* rx.recv(); }
 * catch (e) { if (e instanceof LaggedError) console.warn(`skipped ${e.missed} messages`); }
 * ```
 */
export class LaggedError extends Error {
  /** Always `"LaggedError"`. */
  override readonly name = "LaggedError";
  /** How many messages this receiver missed. */
  readonly missed: number;
  constructor(missed: number) {
    super(`the receiver lagged behind and missed ${missed} message${missed === 1 ? "" : "s"}`);
    this.missed = missed;
  }
}
