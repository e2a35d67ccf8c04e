/**
 * `repeatWith(f)`: an endless stream of `f()`'s results.
 * @module
 */
import type { Context } from "../../core/context.js";
import { proceed } from "../../core/coop.js";
import { typeName } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";

class RepeatWith<T> extends Stream<T> {
  #f: (() => T) | undefined;

  constructor(f: () => T) {
    super();
    this.#f = f;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const f = this.#f;
    if (f === undefined) return READY_STREAM_DONE;
    if (!proceed(cx)) return Poll.pending;
    try {
      return { value: { done: false, value: f() } };
    } catch (error) {
      this.#f = undefined;
      throw error;
    }
  }

  override drop(): void {
    this.#f = undefined;
  }

  override describe(): string {
    return "repeatWith()";
  }
}

/**
 * An endless stream whose every item is a fresh `f()`; `f` runs when an item is asked for.
 * Pair it with `take`, `takeWhile` or `takeUntil`. With `buffered(n)`, `f` can make futures:
 * `repeatWith(() => poll())` keeps `n` polls in flight.
 *
 * Cooperative scheduling: every item spends one unit of the task's budget.
 *
 * Cancel safety: safe: nothing is lost, `f` runs only for an item that is returned.
 *
 * @example
 * ```ts
 * const ids = yield* repeatWith(() => crypto.randomUUID()).pipe(take(3), collect());
 * ```
 */
export function repeatWith<T>(f: () => T): Stream<T> {
  if (typeof f !== "function") {
    throw new TypeError(`repeatWith(f): f must be a function, got ${typeName(f)}`);
  }
  return new RepeatWith(f);
}
