/**
 * `timeoutEach(ms)`: fails when an item takes longer than `ms` to come.
 *
 * Invariants:
 * - A deadline of `ms` starts at the first poll after the previous item was given out (or the
 *   first poll); the source is polled before the deadline is checked, so an item ready at the
 *   deadline still wins.
 * - When the deadline passes the source is dropped and `TimeoutError` is thrown; the stream is
 *   then done.
 * @module
 */
import type { Context } from "../../core/context.js";
import type { Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkMs, sleep } from "../../time/sleep.js";
import { TimeoutError } from "../errors.js";
import { Adapter } from "./adapter.js";
import { checkSource } from "./operator.js";

class TimeoutEach<T> extends Adapter<T, T> {
  readonly #ms: number;
  #deadline: Future<void> | undefined = undefined;

  constructor(source: Stream<T>, ms: number) {
    super(source, "timeoutEach");
    this.#ms = ms;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const r = this.pull(cx);
    if (r !== undefined) {
      this.#clear();
      return r.done === true ? READY_STREAM_DONE : { value: r };
    }
    let deadline = this.#deadline;
    if (deadline === undefined) deadline = this.#deadline = sleep(this.#ms);
    if (deadline.poll(cx) === Poll.pending) return Poll.pending;
    this.#deadline = undefined;
    return this.fail(new TimeoutError(this.#ms));
  }

  #clear(): void {
    const deadline = this.#deadline;
    this.#deadline = undefined;
    if (deadline !== undefined) dropQuietly(deadline);
  }

  override drop(): void {
    this.#clear();
    super.drop();
  }
}

/**
 * A stream of the same items that fails with `TimeoutError` when the next item takes longer
 * than `ms` to come (counted from when it was asked for), dropping the source. Named apart
 * from the future combinator `timeout(ms, fut)`, which bounds a whole operation.
 *
 * Cancel safety: `next()` is safe; the deadline restarts with the next `next()` after an item.
 * Dropping the stream drops the source and the deadline's timer.
 *
 * @example
 * ```ts
 * yield* heartbeats.pipe(timeoutEach(5000), forEach(record)); // fails after 5 s of silence
 * ```
 */
export function timeoutEach<T>(ms: number): (source: Stream<T>) => Stream<T> {
  checkMs(ms, "timeoutEach(ms)");
  return (source) => new TimeoutEach(checkSource(source, "timeoutEach(ms)"), ms);
}
