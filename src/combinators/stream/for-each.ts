/**
 * `forEach(f)`: `forEachConcurrent(1, f)`, one item at a time.
 * @module
 */
import type { Future } from "../../core/future.js";
import type { Stream } from "../../core/stream.js";
import { ForEachConcurrent } from "./for-each-concurrent.js";
import { checkFunction, checkSource } from "./operator.js";

/**
 * A future that calls `f` on every item in turn; when `f` returns a Future it is awaited
 * before the next item is read. Completes when the stream ends; the first error drops the
 * stream (and the call in flight) and is rethrown.
 *
 * Cancel safety: dropping it drops the stream and the call in flight (its cleanup runs);
 * items already handled stay handled.
 *
 * @example
 * ```ts
 * yield* interval(1000).stream().pipe(take(3), forEach((at) => console.log("tick", at.ms)));
 * ```
 */
export function forEach<T>(
  f: (item: T) => Future<unknown> | unknown,
): (source: Stream<T>) => Future<void> {
  checkFunction(f, "forEach(f)");
  return (source) => new ForEachConcurrent(checkSource(source, "forEach(f)"), 1, f, "forEach");
}
