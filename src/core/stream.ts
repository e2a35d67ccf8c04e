/**
 * The `Stream` abstract class: futures-rs' `Stream`, a lazy source of many values polled like
 * a Future.
 *
 * Contract every subclass keeps:
 * - `pollNext(cx)` returns `Ready({ done: false, value })` for an item, `Ready({ done: true })`
 *   once the stream is finished (and on every later call), or `Pending` after arranging for
 *   the *latest* `cx.waker` to be woken. An item is taken only by a `pollNext` that returns it.
 * - A `pollNext` that throws finishes the stream: it has dropped what it held, and every later
 *   call returns `Ready({ done: true })`.
 * - `drop()` is called at most once by the owner of a stream it discards; it drops everything
 *   the stream holds (its source, every future in flight) synchronously and never throws.
 *   A dropped stream is never polled again.
 * - Sources whose items are ready without waiting spend one unit of the cooperative budget per
 *   item (core/coop.ts); operators do not spend again for items their source gave them.
 * @module
 */
import type { Context } from "./context.js";
import { PollAfterReadyError } from "./errors.js";
import { Future } from "./future.js";
import { Poll } from "./poll.js";
import { PromiseBridge } from "./promise-bridge.js";
import { dropQuietly } from "./unhandled.js";

/** The shared `{ done: true }` of every finished stream. */
export const STREAM_DONE: IteratorResult<never, undefined> = /* @__PURE__ */ Object.freeze({
  done: true as const,
  value: undefined,
});

/** The shared `Ready({ done: true })` of every finished stream. */
export const READY_STREAM_DONE: Poll<IteratorResult<never, undefined>> =
  /* @__PURE__ */ Object.freeze({ value: STREAM_DONE });

/** A function from a stream to anything: what {@link Stream.pipe} chains. */
export type StreamOperator<A, B> = (input: A) => B;

/**
 * A lazy, cancellable source of values of type `T`, polled like a Future. Subclasses implement
 * {@link Stream.pollNext} and override {@link Stream.drop} to release what they hold.
 *
 * @example
 * ```ts
 * class Countdown extends Stream<number> {
 *   constructor(private n: number) { super(); }
 *   pollNext(cx: Context): Poll<IteratorResult<number, undefined>> {
 *     return Poll.ready(this.n > 0 ? { done: false, value: this.n-- } : { done: true, value: undefined });
 *   }
 * }
 * for await (const n of new Countdown(3)) console.log(n); // 3 2 1
 * ```
 */
export abstract class Stream<T> implements Disposable, AsyncIterable<T> {
  /**
   * Makes as much progress as possible towards the next item without blocking: returns
   * `Ready({ done: false, value })`, `Ready({ done: true })` once finished, or `Pending` after
   * arranging for `cx.waker` to be woken.
   *
   * @example
   * ```ts
   * const p = stream.pollNext(cx);
   * if (p !== Poll.pending && !p.value.done) use(p.value.value);
   * ```
   */
  abstract pollNext(cx: Context): Poll<IteratorResult<T, undefined>>;

  /**
   * Discards the stream and everything it holds (its source, the futures in flight), running
   * their cleanup synchronously. The default does nothing.
   *
   * @example
   * ```ts
   * override drop(): void { this.source.drop(); }
   * ```
   */
  drop(): void {}

  /**
   * A short label for task dumps and deadlock reports.
   *
   * @example
   * ```ts
   * override describe(): string { return `buffered(${this.n})`; }
   * ```
   */
  describe(): string {
    return this.constructor.name;
  }

  /**
   * A future of the next item: `{ done: false, value }`, or `{ done: true }` once the stream
   * is finished.
   *
   * Cancel safety: safe. An item is taken from the stream only when this future completes, so
   * dropping it (in `select`, under `timeout`) loses nothing: the next `next()` gets the item.
   *
   * @example
   * ```ts
   * for (let r = yield* lines.next(); !r.done; r = yield* lines.next()) handle(r.value);
   * ```
   */
  next(): Future<IteratorResult<T, undefined>> {
    return new NextFuture(this);
  }

  /**
   * Same as `drop()`, so `using s = …` drops a stream at the end of a scope.
   *
   * @example
   * ```ts
   * { using s = iter(rows); }
   * ```
   */
  [Symbol.dispose](): void {
    this.drop();
  }

  /**
   * Lets plain async code `for await` the stream, with no executor: each step is polled with a
   * waker that polls it again on a microtask. Leaving the loop early (`break`, `throw`, a
   * `return`) drops the stream; so does an error from the stream.
   *
   * @example
   * ```ts
   * for await (const line of lines) if (line === "") break; // drops `lines`
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return new StreamIterator(this);
  }

  /**
   * Applies operators in turn: `s.pipe(f, g)` is `g(f(s))`. Operators such as `map(f)`,
   * `buffered(n)` and sinks such as `collect()` are made for it.
   *
   * @example
   * ```ts
   * const sizes = yield* iter(urls).pipe(map(fetchSize), buffered(8), collect());
   * ```
   */
  pipe<A>(op1: StreamOperator<Stream<T>, A>): A;
  pipe<A, B>(op1: StreamOperator<Stream<T>, A>, op2: StreamOperator<A, B>): B;
  pipe<A, B, C>(
    op1: StreamOperator<Stream<T>, A>,
    op2: StreamOperator<A, B>,
    op3: StreamOperator<B, C>,
  ): C;
  pipe<A, B, C, D>(
    op1: StreamOperator<Stream<T>, A>,
    op2: StreamOperator<A, B>,
    op3: StreamOperator<B, C>,
    op4: StreamOperator<C, D>,
  ): D;
  pipe<A, B, C, D, E>(
    op1: StreamOperator<Stream<T>, A>,
    op2: StreamOperator<A, B>,
    op3: StreamOperator<B, C>,
    op4: StreamOperator<C, D>,
    op5: StreamOperator<D, E>,
  ): E;
  pipe(...ops: StreamOperator<never, unknown>[]): unknown;
  pipe(...ops: StreamOperator<never, unknown>[]): unknown {
    let value: unknown = this;
    for (const op of ops) {
      if (typeof op !== "function")
        throw new TypeError("stream.pipe(...operators): not a function");
      value = op(value as never);
    }
    return value;
  }
}

/**
 * True when `value` is a {@link Stream}: an instance of this copy's class, or an object with
 * `pollNext` and `drop` methods (a Stream of another copy of wakeful, the ESM or CommonJS
 * build). A class brand would keep the class in every bundle: its computed key is a side
 * effect to bundlers.
 *
 * @example
 * ```ts
 * if (!isStream(s)) throw new TypeError("expected a Stream");
 * ```
 */
export function isStream(value: unknown): value is Stream<unknown> {
  return (
    value instanceof Stream ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as Stream<unknown>).pollNext === "function" &&
      typeof (value as Stream<unknown>).drop === "function")
  );
}

/** @internal Throws a `TypeError` naming `argument` unless `value` is a Stream. */
export function assertStream(value: unknown, argument: string): asserts value is Stream<unknown> {
  if (!isStream(value)) {
    const shown = value === null ? "null" : typeof value;
    throw new TypeError(`${argument}: expected a Stream, got ${shown}`);
  }
}

/**
 * The future behind `stream.next()`: polls the stream until it gives an item or ends. `#stream`
 * is `undefined` once it completed (polling again is an error) and `null` once dropped (the
 * promise bridge of a `for await` may still poll it after `return()`: it stays Pending).
 */
class NextFuture<T> extends Future<IteratorResult<T, undefined>> {
  #stream: Stream<T> | undefined | null;

  constructor(stream: Stream<T>) {
    super();
    this.#stream = stream;
  }

  poll(cx: Context): Poll<IteratorResult<T, undefined>> {
    const stream = this.#stream;
    if (stream === null) return Poll.pending;
    if (stream === undefined) throw new PollAfterReadyError("stream.next()");
    let p: Poll<IteratorResult<T, undefined>>;
    try {
      p = stream.pollNext(cx);
    } catch (error) {
      this.#stream = undefined;
      throw error;
    }
    if (p !== Poll.pending) this.#stream = undefined;
    return p;
  }

  override drop(): void {
    this.#stream = null;
  }

  override describe(): string {
    return `next() on ${this.#stream?.describe() ?? "a stream"}`;
  }
}

/**
 * `for await` over a stream, through the one promise bridge. One `next()` at a time. Ending
 * (done, an error, `return()`) drops the stream once; a `next()` pending at `return()` is
 * settled as done.
 */
class StreamIterator<T> implements AsyncIterator<T, undefined> {
  #stream: Stream<T> | undefined;
  #step: Future<IteratorResult<T, undefined>> | undefined = undefined;
  #resolve: ((r: IteratorResult<T, undefined>) => void) | undefined = undefined;

  constructor(stream: Stream<T>) {
    this.#stream = stream;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    const stream = this.#stream;
    if (stream === undefined) return Promise.resolve(STREAM_DONE);
    if (this.#step !== undefined) {
      return Promise.reject(new Error("stream iterator: next() called before the last settled"));
    }
    return new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
      const step = stream.next();
      this.#step = step;
      this.#resolve = resolve;
      new PromiseBridge(
        step,
        (r) => {
          this.#step = this.#resolve = undefined;
          if (r.done === true) this.#stream = undefined;
          resolve(r);
        },
        (error) => {
          this.#step = this.#resolve = undefined;
          this.return();
          reject(error);
        },
      ).step();
    });
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const stream = this.#stream;
    const step = this.#step;
    const resolve = this.#resolve;
    this.#stream = this.#step = this.#resolve = undefined;
    step?.drop();
    resolve?.(STREAM_DONE);
    if (stream !== undefined) dropQuietly(stream);
    return Promise.resolve(STREAM_DONE);
  }
}
