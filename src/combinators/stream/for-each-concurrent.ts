/**
 * `forEachConcurrent(n, f)`: a future that runs `f` on every item, at most `n` at a time.
 *
 * Invariants:
 * - The source is polled only while fewer than `n` calls of `f` are running, so it is never
 *   read more than `n` ahead.
 * - The first error (from the source, `f`, or a future `f` returned) drops the source and every
 *   future in flight, synchronously, before it is rethrown. Dropping the future does the same.
 * @module
 */
import type { Context } from "../../core/context.js";
import { PollAfterReadyError } from "../../core/errors.js";
import { Future, isFuture } from "../../core/future.js";
import { Poll, READY_VOID } from "../../core/poll.js";
import type { Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkLimit, InFlight } from "./in-flight.js";
import { checkFunction, checkSource } from "./operator.js";

/** @internal The future behind `forEachConcurrent` and `forEach`. */
export class ForEachConcurrent<T> extends Future<void> {
  #source: Stream<T> | undefined;
  #inFlight: InFlight<unknown> | undefined;
  readonly #f: (item: T) => Future<unknown> | unknown;
  readonly #label: string;

  constructor(source: Stream<T>, n: number, f: (item: T) => unknown, label: string) {
    super();
    this.#source = source;
    this.#inFlight = new InFlight(n, false);
    this.#f = f;
    this.#label = label;
  }

  poll(cx: Context): Poll<void> {
    const inFlight = this.#inFlight;
    if (inFlight === undefined) throw new PollAfterReadyError(this.#label);
    inFlight.register(cx.waker);
    try {
      inFlight.pollWoken();
      while (inFlight.take()) inFlight.taken = undefined;
      for (;;) {
        const source = this.#source;
        if (source === undefined || inFlight.isFull) break;
        const p = source.pollNext(cx);
        if (p === Poll.pending) break;
        const r = (p as { value: IteratorResult<T, undefined> }).value;
        if (r.done === true) {
          this.#source = undefined;
          break;
        }
        const out = this.#f(r.value);
        if (isFuture(out)) {
          inFlight.start(out);
          while (inFlight.take()) inFlight.taken = undefined;
        }
      }
    } catch (error) {
      this.drop();
      throw error;
    }
    if (this.#source !== undefined || inFlight.count > 0) return Poll.pending;
    this.#inFlight = undefined;
    return READY_VOID;
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
 * A future that calls `f` on every item of the stream, running at most `n` calls at a time
 * when `f` returns a Future (p-limit's `Promise.all(items.map((x) => limit(() => f(x))))`,
 * without queuing every item up front). It completes when the stream ended and every call
 * finished. The stream is never read more than `n` ahead.
 *
 * The first error (from the stream, `f`, or a future `f` returned) drops every call in flight
 * at once (their `finally` blocks run) and the stream, then is rethrown.
 *
 * Cancel safety: not cancel-safe in the sense of `recv()`: dropping it drops the stream and
 * every call in flight, whose work is lost (their cleanup runs). Items already handled stay
 * handled.
 *
 * @example
 * ```ts
 * yield* rx.stream().pipe(forEachConcurrent(8, (job) => handle(job)));
 * ```
 */
export function forEachConcurrent<T>(
  n: number,
  f: (item: T) => Future<unknown> | unknown,
): (source: Stream<T>) => Future<void> {
  checkLimit(n, "forEachConcurrent(n, f)");
  checkFunction(f, "forEachConcurrent(n, f)");
  return (source) =>
    new ForEachConcurrent(
      checkSource(source, "forEachConcurrent(n, f)"),
      n,
      f,
      `forEachConcurrent(${n})`,
    );
}
