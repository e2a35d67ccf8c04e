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
import { Context } from "../core/context.js";
import type { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import { type Wake, Waker } from "../core/waker.js";
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
   * Iterates with `for await` from plain async code (outside an async block). Each step polls
   * its own `recv()` with a waker that re-polls on a microtask, so it needs no executor: the
   * channel's senders wake it directly, from whatever task or callback sends. Leaving the loop
   * early (`break`, `throw`) drops the pending receive, which loses no message, and does not
   * close the receiver. Inside an async block, loop on `yield* rx.recv()` instead.
   *
   * @example
   * ```ts
   * for await (const line of rx) console.log(line); // ends when every sender is closed
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return new RecvIterator(this);
  }
}

/** @internal Makes the receiver of a new channel (mpsc.ts). */
export function newReceiver<T>(channel: ChannelState<T>): Receiver<T> {
  return construct(Receiver, channel);
}

/** Drives `recv()` futures from promises: the waker re-polls on a microtask. */
class RecvIterator<T> implements AsyncIterator<T, undefined>, Wake {
  readonly #rx: Receiver<T>;
  readonly #cx: Context = Context.from(Waker.from(this));
  #pending: Future<IteratorResult<T, undefined>> | undefined = undefined;
  #resolve: ((r: IteratorResult<T, undefined>) => void) | undefined = undefined;
  #reject: ((e: unknown) => void) | undefined = undefined;
  #scheduled = false;
  readonly #repoll = (): void => {
    this.#scheduled = false;
    this.#step();
  };

  constructor(rx: Receiver<T>) {
    this.#rx = rx;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#pending !== undefined) {
      return Promise.reject(new Error("Receiver iterator: next() called before the last settled"));
    }
    const promise = new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#pending = this.#rx.recv();
    this.#step();
    return promise;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const fut = this.#pending;
    const resolve = this.#resolve;
    this.#settle();
    fut?.drop();
    const end: IteratorResult<T, undefined> = { done: true, value: undefined };
    resolve?.(end);
    return Promise.resolve(end);
  }

  wake(): void {
    if (this.#scheduled || this.#pending === undefined) return;
    this.#scheduled = true;
    queueMicrotask(this.#repoll);
  }

  #step(): void {
    const fut = this.#pending;
    if (fut === undefined) return;
    const resolve = this.#resolve as (r: IteratorResult<T, undefined>) => void;
    const reject = this.#reject as (e: unknown) => void;
    let p: Poll<IteratorResult<T, undefined>>;
    try {
      p = fut.poll(this.#cx);
    } catch (error) {
      this.#settle();
      reject(error);
      return;
    }
    if (p === Poll.pending) return;
    this.#settle();
    resolve((p as { value: IteratorResult<T, undefined> }).value);
  }

  #settle(): void {
    this.#pending = undefined;
    this.#resolve = undefined;
    this.#reject = undefined;
  }
}
