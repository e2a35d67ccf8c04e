/**
 * `first()`: the first item, then the stream is dropped.
 * @module
 */
import type { Future } from "../../core/future.js";
import type { Stream } from "../../core/stream.js";
import { Fold } from "./fold.js";
import { checkSource } from "./operator.js";

interface Found<T> {
  found: boolean;
  value: T | undefined;
}

/**
 * A future of the first item (`undefined` for an empty stream); it then drops the stream, so
 * an endless source stops.
 *
 * Cancel safety: safe when the stream's `next()` is: it completes with the item it takes.
 *
 * @example
 * ```ts
 * const firstReply = yield* merge(a, b).pipe(first());
 * ```
 */
export function first<T>(): (source: Stream<T>) => Future<T | undefined> {
  return (source) =>
    new Fold<T, Found<T>, T | undefined>(
      checkSource(source, "first()"),
      { found: false, value: undefined },
      (_, item) => ({ found: true, value: item }),
      "first",
      (acc) => acc.found,
      (acc) => acc.value,
    );
}
