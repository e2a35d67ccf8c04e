/**
 * `bufferUnordered(n)`: `buffered(n)` giving results as they finish.
 * @module
 */
import type { Future } from "../../core/future.js";
import type { Stream } from "../../core/stream.js";
import { Buffered } from "./buffered.js";
import { checkLimit } from "./in-flight.js";
import { checkSource } from "./operator.js";

/**
 * Runs the futures of a stream of futures at most `n` at a time and gives their results as
 * they finish (p-map with `concurrency: n`, unordered; rxjs `mergeMap(f, n)`). A slow item
 * does not hold back the others, and a finished future's place is refilled at once. The source
 * is never read more than `n` ahead.
 *
 * The first error (from the source or any future) drops every future in flight at once (their
 * `finally` blocks run) and the source, then is rethrown.
 *
 * Cancel safety: `next()` is safe: finished results wait in the stream. Dropping the stream
 * drops its source and every future in flight; results not yet given out are lost.
 *
 * @example
 * ```ts
 * const sizes = yield* iter(files).pipe(map((f) => statSize(f)), bufferUnordered(16), collect());
 * ```
 */
export function bufferUnordered(n: number): <T>(source: Stream<Future<T>>) => Stream<T> {
  checkLimit(n, "bufferUnordered(n)");
  return (source) =>
    new Buffered(checkSource(source, "bufferUnordered(n)"), n, false, `bufferUnordered(${n})`);
}
