/**
 * `collect()` (alias `toArray()`): every item, in an array.
 * @module
 */
import type { Future } from "../../core/future.js";
import type { Stream } from "../../core/stream.js";
import { Fold } from "./fold.js";
import { checkSource } from "./operator.js";

function push<T>(acc: T[], item: T): T[] {
  acc.push(item);
  return acc;
}

/**
 * A future of every item of the stream, in an array, once it ended. Mind unbounded streams.
 *
 * Cancel safety: dropping it drops the stream; the items collected so far are lost.
 *
 * @example
 * ```ts
 * const rows = yield* iter(ids).pipe(map(loadRow), buffered(4), collect());
 * ```
 */
export function collect<T>(): (source: Stream<T>) => Future<T[]> {
  return (source) => new Fold<T, T[]>(checkSource(source, "collect()"), [], push, "collect");
}

/**
 * Same as {@link collect}.
 *
 * Cancel safety: as `collect()`.
 *
 * @example
 * ```ts
 * const all = yield* rx.stream().pipe(toArray());
 * ```
 */
export const toArray: typeof collect = collect;
