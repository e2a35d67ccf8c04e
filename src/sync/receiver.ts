/**
 * The receiving half of an mpsc channel.
 *
 * Invariants:
 * - There is one `Receiver` per channel. Several `recv()` futures may wait at once (from
 *   different tasks); they are served in the order they started waiting.
 * - `close()` only stops new sends: buffered messages, and those of permits already out,
 *   stay receivable; `recv()` reports `{ done: true }` after them.
 * @module
 */
import { construct } from "../core/construct.js";
import type { Future } from "../core/future.js";
import { NextStream } from "../core/next-stream.js";
import type { Stream } from "../core/stream.js";
import type { ChannelState } from "./channel-state.js";
import { RecvFuture } from "./recv-future.js";

/**
 * The receiving half of a channel made by {@link channel} or {@link unboundedChannel}.
 *
 * @example Inside an async block:
 * ```ts
 * const consumer = future(function* () {
 *   for (let r = yield* rx.recv(); !r.done; r = yield* rx.recv()) handle(r.value);
 * });
 * ```
 * @example From plain async code:
 * ```ts
 * for await (const msg of rx) console.log(msg);
 * ```
 */
export class Receiver<T> implements AsyncIterable<T>, Disposable {
  readonly #channel: ChannelState<T>;

  /** Made by `channel()` and `unboundedChannel()`. */
  private constructor(channel: ChannelState<T>) {
    this.#channel = channel;
  }

  /**
   * A future of the next message: `{ done: false, value }`, or `{ done: true }` once every
   * sender is closed (or the receiver closed) and the buffer is empty. Several receives
   * waiting at once are served first come, first served.
   *
   * Cancel safety: safe. A message leaves the channel only when `recv()` returns it, so a
   * receive dropped by `select` or `timeout` loses nothing; the next `recv()` gets the
   * message.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * const r = yield* rx.recv();
   * if (r.done) return; // every sender closed
   * process(r.value);
   * ```
   */
  recv(): Future<IteratorResult<T, undefined>> {
    return new RecvFuture(this.#channel);
  }

  /**
   * Takes the next buffered message without waiting; `undefined` when the buffer is empty,
   * whether the channel is open or finished (check {@link Receiver.isClosed} to tell them
   * apart, and `length` if `T` itself may be `undefined`). It may take a message that a woken
   * `recv()` was about to take; that `recv()` then keeps waiting at the front of the line.
   *
   * @example
   * ```ts
   * for (let m = rx.tryRecv(); m !== undefined; m = rx.tryRecv()) batch.push(m);
   * ```
   */
  tryRecv(): T | undefined {
    const ch = this.#channel;
    return ch.buffer.length === 0 ? undefined : ch.take();
  }

  /**
   * Closes the channel for senders: waiting and future sends fail with `SendError` (holding
   * their message), while messages already buffered, and those of permits already reserved,
   * can still be received. Idempotent.
   *
   * @example
   * ```ts
   * rx.close();
   * for (let m = rx.tryRecv(); m !== undefined; m = rx.tryRecv()) save(m); // drain
   * ```
   */
  close(): void {
    this.#channel.closeReceiver();
  }

  /** Same as {@link Receiver.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * True once no new message can be sent: every sender closed, or `close()` was called.
   * Buffered messages may remain (see {@link Receiver.length}).
   *
   * @example
   * ```ts
   * if (rx.isClosed && rx.length === 0) console.log("stream finished");
   * ```
   */
  get isClosed(): boolean {
    const ch = this.#channel;
    return ch.receiverClosed || ch.senders === 0;
  }

  /** Number of messages buffered right now. */
  get length(): number {
    return this.#channel.buffer.length;
  }

  /**
   * A {@link Stream} of this receiver's messages, ending once every sender is closed and the
   * buffer is empty: the shape every operator (`map`, `buffered`, `forEach` …) takes. The stream
   * reads through the receiver; dropping it drops its pending receive, loses no message and
   * leaves the receiver open (close the receiver to stop the senders).
   *
   * Cancel safety: safe, like `recv()`: `next()` on the stream takes a message only when it
   * completes.
   *
   * @example
   * ```ts
   * yield* rx.stream().pipe(forEachConcurrent(4, (job) => handle(job)));
   * ```
   */
  stream(): Stream<T> {
    return new NextStream(() => this.recv(), undefined, "Receiver.stream()");
  }

  /**
   * Iterates with `for await` from plain async code (outside an async block), through
   * {@link Receiver.stream}: the channel's senders wake it directly, so it needs no executor.
   * Leaving the loop early (`break`, `throw`) drops the pending receive, which loses no
   * message, and does not close the receiver. Inside an async block, loop on
   * `yield* rx.recv()` instead.
   *
   * @example
   * ```ts
   * for await (const line of rx) console.log(line); // ends when every sender is closed
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return this.stream()[Symbol.asyncIterator]();
  }
}

/** @internal Makes the receiver of a new channel (mpsc.ts). */
export function newReceiver<T>(channel: ChannelState<T>): Receiver<T> {
  return construct(Receiver, channel);
}
