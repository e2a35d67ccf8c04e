/**
 * `takeUntil(future)`: items until a future completes.
 * @module
 */
import type { Context } from "../../core/context.js";
import { assertFuture, type Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import type { Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { Adapter } from "./adapter.js";
import { checkSource } from "./operator.js";

class TakeUntil<T> extends Adapter<T, T> {
  #stop: Future<unknown> | undefined;

  constructor(source: Stream<T>, stop: Future<unknown>) {
    super(source, "takeUntil");
    this.#stop = stop;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const stop = this.#stop;
    if (stop !== undefined) {
      let p: Poll<unknown>;
      try {
        p = stop.poll(cx);
      } catch (error) {
        this.#stop = undefined;
        return this.fail(error);
      }
      if (p !== Poll.pending) {
        this.#stop = undefined;
        return this.end();
      }
    }
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return this.end();
    return { value: r };
  }

  override drop(): void {
    const stop = this.#stop;
    this.#stop = undefined;
    if (stop !== undefined) dropQuietly(stop);
    super.drop();
  }
}

/**
 * A stream of the items until `stop` completes (a `CancellationToken`'s `cancelled()`, a
 * `sleep`): then it ends, dropping its source. `stop` is polled before each item, so once it
 * has completed no further item is given out. An error from `stop` fails the stream.
 *
 * Cancel safety: as safe as its source; dropping the stream drops the source and `stop`.
 *
 * @example
 * ```ts
 * yield* ticks.pipe(takeUntil(token.cancelled()), forEach(report));
 * ```
 */
export function takeUntil<T>(stop: Future<unknown>): (source: Stream<T>) => Stream<T> {
  assertFuture(stop, "takeUntil(stop)");
  return (source) => new TakeUntil(checkSource(source, "takeUntil(stop)"), stop);
}
