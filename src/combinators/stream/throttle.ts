/**
 * `throttle(ms)`: at most one item per `ms`.
 *
 * Invariants:
 * - After an item is given out, a sleep of `ms` starts; the source is not polled until it has
 *   elapsed, so items are delayed, never dropped.
 * - Dropping the stream drops the source and the pending sleep.
 * @module
 */
import type { Context } from "../../core/context.js";
import type { Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkMs, sleep } from "../../time/sleep.js";
import { Adapter } from "./adapter.js";
import { checkSource } from "./operator.js";

class Throttle<T> extends Adapter<T, T> {
  readonly #ms: number;
  #wait: Future<void> | undefined = undefined;

  constructor(source: Stream<T>, ms: number) {
    super(source, "throttle");
    this.#ms = ms;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const wait = this.#wait;
    if (wait !== undefined) {
      if (wait.poll(cx) === Poll.pending) return Poll.pending;
      this.#wait = undefined;
    }
    const r = this.pull(cx);
    if (r === undefined) return Poll.pending;
    if (r.done === true) return READY_STREAM_DONE;
    this.#wait = sleep(this.#ms);
    return { value: r };
  }

  override drop(): void {
    const wait = this.#wait;
    this.#wait = undefined;
    if (wait !== undefined) dropQuietly(wait);
    super.drop();
  }
}

/**
 * A stream of the same items, at most one per `ms` milliseconds: after each item it waits
 * `ms` before reading the next (items are delayed, never skipped). On virtual time under
 * `SimExecutor`.
 *
 * Cancel safety: `next()` is safe: a dropped `next()` loses no item, and the pause keeps its
 * deadline. Dropping the stream drops the source and cancels the pause's timer.
 *
 * @example
 * ```ts
 * yield* requests.pipe(throttle(100), forEach(send)); // at most 10 per second
 * ```
 */
export function throttle<T>(ms: number): (source: Stream<T>) => Stream<T> {
  checkMs(ms, "throttle(ms)");
  return (source) => new Throttle(checkSource(source, "throttle(ms)"), ms);
}
