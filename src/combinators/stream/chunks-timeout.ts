/**
 * `chunksTimeout(n, ms)`: arrays of up to `n` items, flushed `ms` after a chunk's first item.
 *
 * Invariants:
 * - The timer starts when the first item of a chunk arrives and is dropped when the chunk is
 *   given out; a chunk is never empty.
 * - Items read into the partial chunk stay there across dropped `next()`s.
 * @module
 */
import type { Context } from "../../core/context.js";
import type { Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, type Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkMs, sleep } from "../../time/sleep.js";
import { Adapter } from "./adapter.js";
import { checkLimit } from "./in-flight.js";
import { checkSource } from "./operator.js";

class ChunksTimeout<T> extends Adapter<T, T[]> {
  readonly #size: number;
  readonly #ms: number;
  #chunk: T[] = [];
  #timer: Future<void> | undefined = undefined;

  constructor(source: Stream<T>, size: number, ms: number) {
    super(source, "chunksTimeout");
    this.#size = size;
    this.#ms = ms;
  }

  pollNext(cx: Context): Poll<IteratorResult<T[], undefined>> {
    for (;;) {
      const r = this.pull(cx);
      if (r === undefined) break;
      if (r.done === true) {
        return this.#chunk.length === 0 ? READY_STREAM_DONE : this.#flush();
      }
      this.#chunk.push(r.value);
      if (this.#chunk.length === 1) this.#timer = sleep(this.#ms);
      if (this.#chunk.length === this.#size) return this.#flush();
    }
    const timer = this.#timer;
    if (timer === undefined || timer.poll(cx) === Poll.pending) return Poll.pending;
    this.#timer = undefined;
    return this.#flush();
  }

  #flush(): Poll<IteratorResult<T[], undefined>> {
    const chunk = this.#chunk;
    this.#chunk = [];
    const timer = this.#timer;
    this.#timer = undefined;
    if (timer !== undefined) dropQuietly(timer);
    return { value: { done: false, value: chunk } };
  }

  override drop(): void {
    const timer = this.#timer;
    this.#timer = undefined;
    this.#chunk = [];
    if (timer !== undefined) dropQuietly(timer);
    super.drop();
  }
}

/**
 * A stream of arrays of up to `n` items: a chunk is given out when it is full, or `ms`
 * milliseconds after its first item arrived, whichever comes first (batching writes without
 * letting a quiet period hold items back). On virtual time under `SimExecutor`.
 *
 * Cancel safety: `next()` is safe: items already read stay in the partial chunk, and its timer
 * keeps its deadline. Dropping the stream loses the partial chunk.
 *
 * @example
 * ```ts
 * yield* events.pipe(chunksTimeout(100, 50), forEach((batch) => insertMany(batch)));
 * ```
 */
export function chunksTimeout<T>(n: number, ms: number): (source: Stream<T>) => Stream<T[]> {
  checkLimit(n, "chunksTimeout(n, ms)");
  checkMs(ms, "chunksTimeout(n, ms)");
  return (source) => new ChunksTimeout(checkSource(source, "chunksTimeout(n, ms)"), n, ms);
}
