/**
 * `count()`: the number of items.
 * @module
 */
import type { Future } from "../../core/future.js";
import type { Stream } from "../../core/stream.js";
import { Fold } from "./fold.js";
import { checkSource } from "./operator.js";

/**
 * A future of the number of items, once the stream ended.
 *
 * Cancel safety: dropping it drops the stream; the count so far is lost.
 *
 * @example
 * ```ts
 * const lines = yield* fromAsyncIterable(readline).pipe(count());
 * ```
 */
export function count<T>(): (source: Stream<T>) => Future<number> {
  return (source) => new Fold<T, number>(checkSource(source, "count()"), 0, (n) => n + 1, "count");
}
