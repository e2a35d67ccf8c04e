/**
 * `assertReady(p)` / `assertPending(p)`: tokio-test's `assert_ready!` / `assert_pending!`.
 *
 * Invariant: they throw an `Error` naming what was expected and what was found; they never
 * change the Poll they check.
 * @module
 */
import { Poll } from "../core/poll.js";

/**
 * Returns the value of a Ready poll, or throws when it is Pending.
 *
 * @example
 * ```ts
 * const value = assertReady(task.poll());
 * ```
 */
export function assertReady<T>(p: Poll<T>, what = "poll"): T {
  if (p === null || typeof p !== "object") {
    throw new TypeError(`assertReady(p): expected a Poll, got ${String(p)}`);
  }
  if (p === Poll.pending) throw new Error(`expected ${what} to be Ready, but it is Pending`);
  return (p as { value: T }).value;
}

/**
 * Throws unless the poll is Pending.
 *
 * @example
 * ```ts
 * assertPending(task.poll());
 * ```
 */
export function assertPending<T>(p: Poll<T>, what = "poll"): void {
  if (p === null || typeof p !== "object") {
    throw new TypeError(`assertPending(p): expected a Poll, got ${String(p)}`);
  }
  if (p !== Poll.pending) {
    let shown: string;
    try {
      shown = JSON.stringify((p as { value: unknown }).value) ?? "undefined";
    } catch {
      shown = String((p as { value: unknown }).value);
    }
    throw new Error(`expected ${what} to be Pending, but it is Ready with ${shown}`);
  }
}
