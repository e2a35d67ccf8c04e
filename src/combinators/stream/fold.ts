/**
 * The future behind every sink that reduces a stream to one value: `fold`, `collect`,
 * `count`, `first`, `last`.
 *
 * Invariants:
 * - It owns the stream: it reads items until the stream ends (or `stop` says enough, then it
 *   drops the stream) and completes with the accumulator. An error, or dropping the future,
 *   drops the stream.
 * - It reads items in a loop inside one poll; the sources spend the cooperative budget per
 *   item, so a long ready stream still yields.
 * @module
 */
import type { Context } from "../../core/context.js";
import { PollAfterReadyError } from "../../core/errors.js";
import { Future } from "../../core/future.js";
import { Poll } from "../../core/poll.js";
import type { Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";
import { checkFunction, checkSource } from "./operator.js";

/** @internal See the module comment. */
export class Fold<T, A, R = A> extends Future<R> {
  #source: Stream<T> | undefined;
  #acc: A;
  readonly #f: (acc: A, item: T) => A;
  readonly #stop: ((acc: A) => boolean) | undefined;
  readonly #label: string;
  readonly #result: ((acc: A) => R) | undefined;

  constructor(
    source: Stream<T>,
    init: A,
    f: (acc: A, item: T) => A,
    label: string,
    stop?: (acc: A) => boolean,
    result?: (acc: A) => R,
  ) {
    super();
    this.#source = source;
    this.#acc = init;
    this.#f = f;
    this.#label = label;
    this.#stop = stop;
    this.#result = result;
  }

  poll(cx: Context): Poll<R> {
    const source = this.#source;
    if (source === undefined) throw new PollAfterReadyError(this.#label);
    try {
      for (;;) {
        const p = source.pollNext(cx);
        if (p === Poll.pending) return p;
        const r = (p as { value: IteratorResult<T, undefined> }).value;
        if (r.done === true) break;
        this.#acc = this.#f(this.#acc, r.value);
        if (this.#stop?.(this.#acc) === true) {
          dropQuietly(source);
          break;
        }
      }
    } catch (error) {
      this.drop();
      throw error;
    }
    this.#source = undefined;
    const result = this.#result;
    return { value: result === undefined ? (this.#acc as unknown as R) : result(this.#acc) };
  }

  override drop(): void {
    const source = this.#source;
    this.#source = undefined;
    if (source !== undefined) dropQuietly(source);
  }

  override describe(): string {
    return `${this.#label}(${this.#source?.describe() ?? "done"})`;
  }
}

/**
 * A future that reduces the stream to one value: `f(acc, item)` for every item, from `init`.
 *
 * Cancel safety: dropping it drops the stream; the accumulated value is lost.
 *
 * @example
 * ```ts
 * const total = yield* iter([1, 2, 3]).pipe(fold(0, (sum, n) => sum + n)); // 6
 * ```
 */
export function fold<T, A>(init: A, f: (acc: A, item: T) => A): (source: Stream<T>) => Future<A> {
  checkFunction(f, "fold(init, f)");
  return (source) => new Fold(checkSource(source, "fold(init, f)"), init, f, "fold");
}
