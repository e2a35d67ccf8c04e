/**
 * `buffered(n)` and the machine behind `bufferUnordered(n)`: a stream of futures run at most
 * `n` at a time.
 *
 * Invariants:
 * - The source is polled only while fewer than `n` items are held (running or finished but not
 *   yet given out), so the stream never pulls more than `n` ahead of its consumer.
 * - Ordered: results are given out in source order; unordered: as they finish.
 * - The first error (from the source, a future, or a non-future item) drops the source and
 *   every future in flight, synchronously, before it is rethrown; the stream is then done.
 *   Dropping the stream does the same. Either happens at most once.
 * @module
 */
import type { Context } from "../../core/context.js";
import { type Future, isFuture, typeName } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkLimit, InFlight } from "./in-flight.js";
import { checkSource } from "./operator.js";

/** @internal The stream behind `buffered` and `bufferUnordered`. */
export class Buffered<T> extends Stream<T> {
  #source: Stream<Future<T>> | undefined;
  #inFlight: InFlight<T> | undefined;
  readonly #label: string;

  constructor(source: Stream<Future<T>>, n: number, ordered: boolean, label: string) {
    super();
    this.#source = source;
    this.#inFlight = new InFlight<T>(n, ordered);
    this.#label = label;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const inFlight = this.#inFlight;
    if (inFlight === undefined) return READY_STREAM_DONE;
    inFlight.register(cx.waker);
    try {
      inFlight.pollWoken();
      for (;;) {
        if (inFlight.take()) {
          const value = inFlight.taken as T;
          inFlight.taken = undefined;
          return { value: { done: false, value } };
        }
        const source = this.#source;
        if (source === undefined || inFlight.isFull) break;
        const p = source.pollNext(cx);
        if (p === Poll.pending) break;
        const r = (p as { value: IteratorResult<Future<T>, undefined> }).value;
        if (r.done === true) {
          this.#source = undefined;
          break;
        }
        const item = r.value;
        if (!isFuture(item)) {
          throw new TypeError(
            `${this.#label}: expected a stream of Futures, got ${typeName(item)}`,
          );
        }
        inFlight.start(item as Future<T>);
      }
    } catch (error) {
      this.drop();
      throw error;
    }
    if (this.#source === undefined && inFlight.count === 0) {
      this.#inFlight = undefined;
      return READY_STREAM_DONE;
    }
    return Poll.pending;
  }

  override drop(): void {
    const source = this.#source;
    const inFlight = this.#inFlight;
    this.#source = this.#inFlight = undefined;
    inFlight?.dropAll();
    if (source !== undefined) dropQuietly(source);
  }

  override describe(): string {
    return this.#inFlight?.describe(this.#label) ?? `${this.#label} (done)`;
  }
}

/**
 * Runs the futures of a stream of futures at most `n` at a time and gives their results in
 * source order (p-map with `concurrency: n`, futures-rs `buffered`). The source is pulled only
 * while fewer than `n` items are held, so it is never read more than `n` ahead, and a source of
 * a million lazy items costs memory for `n`.
 *
 * The first error (from the source or any future) drops every future in flight at once (their
 * `finally` blocks run, their timers and fetches are cancelled) and the source, then is
 * rethrown: unlike p-map's `stopOnError`, the other work really stops.
 *
 * Cancel safety: `next()` is safe: a result finished early waits in the stream until it is
 * given out. Dropping the stream drops its source and every future in flight; results
 * finished but not yet given out are lost.
 *
 * @example
 * ```ts
 * const pages = yield* iter(urls).pipe(map((url) => fetchPage(url)), buffered(8), collect());
 * ```
 */
export function buffered(n: number): <T>(source: Stream<Future<T>>) => Stream<T> {
  checkLimit(n, "buffered(n)");
  return (source) => new Buffered(checkSource(source, "buffered(n)"), n, true, `buffered(${n})`);
}
