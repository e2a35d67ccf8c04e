/**
 * `oneshot<T>()`: a channel for exactly one value.
 *
 * Shared state: `value` once sent, the flags SENT, SENDER_CLOSED, RECEIVER_CLOSED and TAKEN
 * (the receiving future finished) packed in one number to keep a parked receiver small, and
 * the latest waker of the receiving future.
 *
 * Invariants:
 * - The value is sent at most once; after `send` or `close` the sender is closed.
 * - The receiver completes with the value if one was sent (even after the sender closed, even
 *   after `rx.close()`), else throws `RecvError` once the sender is closed without sending.
 * - Dropping the receiver (or `rx.close()`) makes later sends fail with `SendError`.
 * @module
 */
import { construct } from "../core/construct.js";
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError, RecvError, SendError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";
import { registerWaker } from "../core/waker-slot.js";

const SENT = 1;
const SENDER_CLOSED = 2;
const RECEIVER_CLOSED = 4;
const TAKEN = 8;

class OneshotState<T> {
  value: T | undefined = undefined;
  flags = 0;
  waker: Waker | undefined = undefined;

  /** Hands the sent value over, once. */
  take(): T {
    const value = this.value as T;
    this.value = undefined;
    this.flags |= TAKEN;
    return value;
  }

  wake(): void {
    const waker = this.waker;
    this.waker = undefined;
    waker?.wake();
  }
}

/**
 * The sending half of a {@link oneshot} channel.
 *
 * @example
 * ```ts
 * const [tx, rx] = oneshot<number>();
 * tx.send(42);
 * ```
 */
export class OneshotSender<T> implements Disposable {
  readonly #state: OneshotState<T>;

  /** Made by {@link oneshot}. */
  private constructor(state: OneshotState<T>) {
    this.#state = state;
  }

  /**
   * Sends the value and closes the sender. Throws `SendError` (holding `value`) if the
   * receiver is closed or dropped, or if this sender was already used or closed (tokio
   * returns the value in `Err`; here it travels in the error).
   *
   * @example
   * ```ts
   * try { tx.send(result); } catch (e) { if (e instanceof SendError) log("nobody waits"); }
   * ```
   */
  send(value: T): void {
    const s = this.#state;
    if ((s.flags & (SENT | SENDER_CLOSED)) !== 0) {
      throw new SendError(value, "OneshotSender.send(value): this sender was already used");
    }
    if ((s.flags & RECEIVER_CLOSED) !== 0) throw new SendError(value);
    s.value = value;
    s.flags |= SENT | SENDER_CLOSED;
    s.wake();
  }

  /**
   * Closes the sender without sending: the receiver throws `RecvError`. Idempotent; does
   * nothing after a successful `send`.
   *
   * @example
   * ```ts
   * if (failed) tx.close();
   * ```
   */
  close(): void {
    const s = this.#state;
    if ((s.flags & SENDER_CLOSED) !== 0) return;
    s.flags |= SENDER_CLOSED;
    s.wake();
  }

  /** Same as {@link OneshotSender.close}, so a `using` sender that never sent closes. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * True when sending can no longer succeed: the value was sent, this sender was closed, or
   * the receiver is closed or dropped.
   *
   * @example
   * ```ts
   * if (!tx.isClosed) tx.send(compute());
   * ```
   */
  get isClosed(): boolean {
    return (this.#state.flags & (SENDER_CLOSED | RECEIVER_CLOSED)) !== 0;
  }
}

/**
 * The receiving half of a {@link oneshot} channel: a future of the value.
 *
 * Cancel safety: not cancel-safe. Dropping it closes the channel, like dropping tokio's
 * `oneshot::Receiver`: a later `send` fails with `SendError` (the sender keeps its value),
 * but a value that was already sent is discarded. Keep the receiver out of a `select` whose
 * losers are dropped if that value matters, or have the sender check `isClosed`.
 *
 * @example
 * ```ts
 * const value = yield* rx; // throws RecvError if the sender closed without sending
 * ```
 */
export class OneshotReceiver<T> extends Future<T> {
  readonly #state: OneshotState<T>;

  /** Made by {@link oneshot}. */
  private constructor(state: OneshotState<T>) {
    super();
    this.#state = state;
  }

  poll(cx: Context): Poll<T> {
    const s = this.#state;
    const flags = s.flags;
    if ((flags & TAKEN) !== 0) throw new PollAfterReadyError("oneshot receiver");
    if ((flags & SENT) !== 0) {
      if (!proceed(cx)) return Poll.pending;
      return { value: s.take() };
    }
    if ((flags & SENDER_CLOSED) !== 0) {
      s.flags |= TAKEN;
      throw new RecvError();
    }
    s.waker = registerWaker(s.waker, cx);
    return Poll.pending;
  }

  /**
   * Takes the value if it was sent, without waiting; `undefined` otherwise. Throws
   * `RecvError` if the sender closed without sending.
   *
   * @example
   * ```ts
   * const v = rx.tryRecv();
   * ```
   */
  tryRecv(): T | undefined {
    const s = this.#state;
    const flags = s.flags;
    if ((flags & TAKEN) !== 0) throw new PollAfterReadyError("oneshot receiver");
    if ((flags & SENT) !== 0) return s.take();
    if ((flags & SENDER_CLOSED) !== 0) {
      s.flags |= TAKEN;
      throw new RecvError();
    }
    return undefined;
  }

  /**
   * Closes the receiving side: later sends fail with `SendError`. A value sent before the
   * close can still be received by polling. Idempotent.
   *
   * @example
   * ```ts
   * rx.close(); // we are no longer interested
   * ```
   */
  close(): void {
    this.#state.flags |= RECEIVER_CLOSED;
  }

  /** True once the value was sent, or the sender closed. */
  get isTerminated(): boolean {
    return (this.#state.flags & SENDER_CLOSED) !== 0;
  }

  override drop(): void {
    const s = this.#state;
    s.flags |= TAKEN | RECEIVER_CLOSED;
    s.waker = undefined;
    s.value = undefined;
  }

  override describe(): string {
    return "oneshot receiver";
  }
}

/**
 * A channel for exactly one value: `tx.send(v)` is synchronous and `rx` is a future of `v`
 * that throws `RecvError` if the sender is closed (or disposed) without sending.
 *
 * Cancel safety: see {@link OneshotReceiver}; sending is synchronous.
 *
 * @example
 * ```ts
 * const [tx, rx] = oneshot<string>();
 * spawn(future(function* () { tx.send(yield* fetchName()); }));
 * const name = yield* rx;
 * ```
 */
export function oneshot<T>(): [OneshotSender<T>, OneshotReceiver<T>] {
  const state = new OneshotState<T>();
  return [
    construct<OneshotSender<T>>(OneshotSender, state),
    construct<OneshotReceiver<T>>(OneshotReceiver, state),
  ];
}
