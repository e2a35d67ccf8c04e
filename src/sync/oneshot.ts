/**
 * `oneshot<T>()`: a channel for exactly one value.
 *
 * Shared state: `value` once sent, `sent`, `senderClosed`, `receiverClosed`, and the latest
 * waker of the receiving future.
 *
 * Invariants:
 * - The value is sent at most once; after `send` or `close` the sender is closed.
 * - The receiver completes with the value if one was sent (even after the sender closed, even
 *   after `rx.close()`), else throws `RecvError` once the sender is closed without sending.
 * - Dropping the receiver (or `rx.close()`) makes later sends fail with `SendError`.
 * @module
 */
import type { Context } from "../core/context.js";
import { proceed } from "../core/coop.js";
import { PollAfterReadyError, RecvError, SendError } from "../core/errors.js";
import { Future } from "../core/future.js";
import { Poll } from "../core/poll.js";
import type { Waker } from "../core/waker.js";

class OneshotState<T> {
  value: T | undefined = undefined;
  sent = false;
  senderClosed = false;
  receiverClosed = false;
  waker: Waker | undefined = undefined;

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

  /** @internal Use `oneshot()`. */
  constructor(state: OneshotState<T>) {
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
    if (s.sent || s.senderClosed) {
      throw new SendError(value, "OneshotSender.send(value): this sender was already used");
    }
    if (s.receiverClosed) throw new SendError(value);
    s.value = value;
    s.sent = true;
    s.senderClosed = true;
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
    if (s.senderClosed) return;
    s.senderClosed = true;
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
    const s = this.#state;
    return s.senderClosed || s.receiverClosed;
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
  #done = false;

  /** @internal Use `oneshot()`. */
  constructor(state: OneshotState<T>) {
    super();
    this.#state = state;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new PollAfterReadyError("oneshot receiver");
    const s = this.#state;
    if (s.sent) {
      if (!proceed(cx)) return Poll.pending;
      this.#done = true;
      const value = s.value as T;
      s.value = undefined;
      return { value };
    }
    if (s.senderClosed) {
      this.#done = true;
      throw new RecvError();
    }
    if (s.waker === undefined || !s.waker.willWake(cx.waker)) s.waker = cx.waker;
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
    if (this.#done) throw new PollAfterReadyError("oneshot receiver");
    if (s.sent) {
      this.#done = true;
      const value = s.value as T;
      s.value = undefined;
      return value;
    }
    if (s.senderClosed) {
      this.#done = true;
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
    this.#state.receiverClosed = true;
  }

  /** True once the value was sent, or the sender closed. */
  get isTerminated(): boolean {
    return this.#state.senderClosed;
  }

  override drop(): void {
    const s = this.#state;
    this.#done = true;
    s.receiverClosed = true;
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
  return [new OneshotSender(state), new OneshotReceiver(state)];
}
