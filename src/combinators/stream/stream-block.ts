/**
 * `stream(function* (emit) { … })`: a stream produced by a generator, with backpressure.
 *
 * The body runs as an async block polled inside the consumer's `pollNext`, with the
 * consumer's waker. `yield* emit(v)` places `v` in the stream's one-item slot and suspends;
 * `pollNext` takes the item from the slot right after the body's poll returns; the emit
 * completes on the body's next poll, which happens only when the consumer asks for the next
 * item. So the body never runs ahead of the consumer by more than the one item it emits.
 *
 * Invariants:
 * - The slot holds at most one placed emit; an item leaves the slot only in a `pollNext` that
 *   returns it, after spending one unit of the cooperative budget.
 * - A dropped emit that was placed but not taken removes its item: the item was not sent.
 * - Dropping the stream drops the body (its `finally` blocks run) and forgets the slot.
 * @module
 */
import { type AsyncGenerator, future } from "../../core/async-block.js";
import type { Context } from "../../core/context.js";
import { proceed } from "../../core/coop.js";
import { PollAfterReadyError } from "../../core/errors.js";
import { Future, typeName } from "../../core/future.js";
import { Poll, READY_VOID } from "../../core/poll.js";
import { READY_STREAM_DONE, Stream } from "../../core/stream.js";
import { dropQuietly } from "../../core/unhandled.js";

/** Hands `value` to the consumer of a {@link stream}; completes when the consumer took it. */
export type Emit<T> = (value: T) => Future<void>;

const NEW = 0;
const PLACED = 1;
const DONE = 2;

class EmitFuture<T> extends Future<void> {
  readonly block: StreamBlock<T>;
  readonly value: T;
  state = NEW;

  constructor(block: StreamBlock<T>, value: T) {
    super();
    this.block = block;
    this.value = value;
  }

  poll(_cx: Context): Poll<void> {
    switch (this.state) {
      case NEW:
        this.block.place(this);
        this.state = PLACED;
        return Poll.pending;
      case PLACED:
        if (this.block.isPlaced(this)) return Poll.pending;
        this.state = DONE;
        return READY_VOID;
      default:
        throw new PollAfterReadyError("emit(value)");
    }
  }

  override drop(): void {
    if (this.state === PLACED) this.block.unplace(this);
    this.state = DONE;
  }

  override describe(): string {
    return "emit(value): waiting for the consumer";
  }
}

class StreamBlock<T> extends Stream<T> {
  #body: Future<unknown> | undefined;
  #slot: EmitFuture<T> | undefined = undefined;

  constructor(body: (emit: Emit<T>) => AsyncGenerator<unknown>) {
    super();
    const emit: Emit<T> = (value) => new EmitFuture(this, value);
    this.#body = future(() => body(emit));
  }

  place(emit: EmitFuture<T>): void {
    if (this.#slot !== undefined) {
      throw new Error("stream(body): emit() called while another emit() is still waiting");
    }
    this.#slot = emit;
  }

  isPlaced(emit: EmitFuture<T>): boolean {
    return this.#slot === emit;
  }

  unplace(emit: EmitFuture<T>): void {
    if (this.#slot === emit) this.#slot = undefined;
  }

  pollNext(cx: Context): Poll<IteratorResult<T, undefined>> {
    const body = this.#body;
    if (body === undefined) return READY_STREAM_DONE;
    if (this.#slot === undefined) {
      let p: Poll<unknown>;
      try {
        p = body.poll(cx);
      } catch (error) {
        this.#body = this.#slot = undefined;
        throw error;
      }
      if (p !== Poll.pending) {
        this.#body = this.#slot = undefined;
        return READY_STREAM_DONE;
      }
    }
    const slot = this.#slot;
    if (slot === undefined || !proceed(cx)) return Poll.pending;
    this.#slot = undefined;
    return { value: { done: false, value: slot.value } };
  }

  override drop(): void {
    const body = this.#body;
    this.#body = this.#slot = undefined;
    if (body !== undefined) dropQuietly(body);
  }

  override describe(): string {
    return this.#body === undefined ? "stream() (done)" : `stream(${this.#body.describe()})`;
  }
}

/**
 * A stream written as a generator: `yield* emit(v)` hands `v` to the consumer and resumes
 * once the consumer has taken it, so the body runs only as fast as it is consumed
 * (backpressure). The body may `yield*` any future between emits; its return value is
 * ignored, and an error it throws fails the stream.
 *
 * Cancel safety: `next()` is safe: an emitted item waits in the stream until a `next()`
 * completes. Dropping the stream drops the body where it is suspended (its `finally` blocks
 * run); an item it was emitting is not delivered.
 *
 * @example
 * ```ts
 * const ticks = stream<number>(function* (emit) {
 *   for (let i = 0; ; i++) {
 *     yield* sleep(100);
 *     yield* emit(i); // resumes when the consumer took i
 *   }
 * });
 * ```
 */
export function stream<T>(body: (emit: Emit<T>) => AsyncGenerator<unknown>): Stream<T> {
  if (typeof body !== "function") {
    throw new TypeError(
      `stream(body): expected a generator function, e.g. stream(function* (emit) { … }), got ${typeName(body)}`,
    );
  }
  return new StreamBlock(body);
}
