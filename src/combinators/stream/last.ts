/**
 * `last()`: the last item, once the stream ended.
 * @module
 */
import type { Future } from "../../core/future.js";
import type { Stream } from "../../core/stream.js";
import { Fold } from "./fold.js";
import { checkSource } from "./operator.js";

/**
 * A future of the last item (`undefined` for an empty stream), once the stream ended.
 *
 * Cancel safety: dropping it drops the stream; the items read so far are lost.
 *
 * @example
 * ```ts
 * const latest = yield* wrx.stream().pipe(takeUntil(shutdown), last());
 * ```
 */
export function last<T>(): (source: Stream<T>) => Future<T | undefined> {
  return (source) =>
    new Fold<T, T | undefined>(checkSource(source, "last()"), undefined, (_, item) => item, "last");
}
