/**
 * `spawnBlocking`: run a self-contained function on the shared blocking pool.
 * @module
 */
import type { Future } from "../core/future.js";
import { spawnOnShared } from "./pool.js";

/**
 * Runs `fn(...args)` on a worker thread of the shared {@link BlockingPool} and returns a future
 * of its result, so CPU-heavy or blocking code does not stall the executor: other tasks keep
 * running meanwhile. Lazy: nothing happens until the future is polled.
 *
 * `fn` must be self-contained: its source is sent to the worker once and compiled there, so it
 * cannot use variables, imports or helpers from the code around it (that fails with a
 * `BlockingError` explaining so). `args` and the result are structured-cloned. An async `fn`
 * is awaited in the worker. A failure (`fn` threw, or its thread crashed) is a `BlockingError`
 * with the cause attached. For per-call options (transfer lists, `terminateOnDrop`) use
 * `BlockingPool.shared.runFunction(fn, args, options)`.
 *
 * Cancel safety: dropping the future before the job starts removes it (it never runs);
 * dropping it while the job runs discards the result, and the job still runs to the end (a
 * running thread cannot be interrupted, as in tokio's `spawn_blocking`).
 *
 * @example
 * ```ts
 * const main = future(function* () {
 *   const ticker = spawn(tick());                        // keeps running meanwhile
 *   const n = yield* spawnBlocking((k: number) => {
 *     const f = (i: number): number => (i < 2 ? i : f(i - 1) + f(i - 2));
 *     return f(k);
 *   }, 35);
 *   ticker.abort();
 *   return n;
 * });
 * ```
 */
export function spawnBlocking<A extends unknown[], R>(
  fn: (...args: A) => R,
  ...args: A
): Future<Awaited<R>> {
  return spawnOnShared(fn, args) as Future<Awaited<R>>;
}
