/**
 * The sending half of an mpsc channel: `Sender` (bounded) and `UnboundedSender`.
 *
 * Invariants:
 * - Each open handle (clones included) counts once in `ChannelState.senders`; `close()` (or
 *   disposal) gives it back exactly once. The receiver sees the end of the stream only once
 *   every handle closed, no permit is out and no send is still waiting.
 * - Sends and reserves are futures (send-future.ts); one made by a closed handle fails with
 *   `SendError` when polled.
 * @module
 */
import { construct } from "../core/construct.js";
import { SendError } from "../core/errors.js";
import type { Future } from "../core/future.js";
import type { ChannelState } from "./channel-state.js";
import type { Permit } from "./permit.js";
import { SlotFuture } from "./send-future.js";

/** What one sender handle holds: its channel and whether it was closed. */
class SenderCore<T> {
  readonly channel: ChannelState<T>;
  closed = false;

  constructor(channel: ChannelState<T>) {
    this.channel = channel;
  }

  get isClosed(): boolean {
    return this.closed || this.channel.receiverClosed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.senderClosed();
  }

  /** The channel, after checking that `value` may be sent through this handle. */
  open(value: unknown, where: string): ChannelState<T> {
    if (this.closed) throw new SendError(value, `${where}: this Sender was closed`);
    const ch = this.channel;
    if (ch.receiverClosed) throw new SendError(value);
    return ch;
  }

  /** A new counted handle's core on the same channel. */
  clone(): SenderCore<T> {
    if (this.closed) throw new Error("Sender.clone(): this Sender was closed");
    this.channel.senders++;
    return new SenderCore(this.channel);
  }
}

/**
 * @internal Makes the sender of a new bounded channel (mpsc.ts). One maker per class, so a
 * program that makes only bounded channels does not carry `UnboundedSender`, and vice versa.
 */
export function newSender<T>(channel: ChannelState<T>): Sender<T> {
  return construct(Sender, new SenderCore(channel));
}

/** @internal Makes the sender of a new unbounded channel (mpsc.ts). */
export function newUnboundedSender<T>(channel: ChannelState<T>): UnboundedSender<T> {
  return construct(UnboundedSender, new SenderCore(channel));
}

/**
 * The sending half of a bounded channel made by {@link channel}. Clone it to have several
 * producers; close every clone to end the stream.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<string>(16);
 * const producer = future(function* () {
 *   using _tx = tx;            // closed when the block ends
 *   yield* tx.send("hello");   // waits while the channel is full
 * });
 * ```
 */
export class Sender<T> implements Disposable {
  readonly #core: SenderCore<T>;

  /** Made by {@link channel} and `clone()`. */
  private constructor(core: SenderCore<T>) {
    this.#core = core;
  }

  /**
   * True once sending through this handle cannot succeed: the handle was closed, or the
   * receiver was closed.
   *
   * @example
   * ```ts
   * if (tx.isClosed) return; // nobody is listening any more
   * ```
   */
  get isClosed(): boolean {
    return this.#core.isClosed;
  }

  /**
   * Closes this handle (clones stay open). Once every handle is closed the receiver gets
   * `{ done: true }` after the buffered messages. Idempotent. Sends already waiting still
   * complete.
   *
   * @example
   * ```ts
   * for (const job of jobs) tx.trySend(job);
   * tx.close(); // the consumer's loop ends after the last job
   * ```
   */
  close(): void {
    this.#core.close();
  }

  /** Same as `close()`, so `using tx = …` closes it at the end of a scope. */
  [Symbol.dispose](): void {
    this.#core.close();
  }

  /**
   * A future that waits for a free slot, then puts `value` in the channel. It fails with
   * `SendError` (holding `value`) if the receiver is closed or this handle was closed.
   * Waiting sends are served in the order they started waiting.
   *
   * Cancel safety: not cancel-safe. Dropped while waiting, the message is lost (it was never
   * sent) and the send loses its place in line. Once a slot is granted the message is in the
   * channel, so a later drop loses nothing. In a `select` or under a `timeout`, use
   * {@link Sender.reserve} and then `permit.send(value)`, which never loses a message.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * yield* tx.send(job); // back-pressure: waits while the consumer is behind
   * ```
   */
  send(value: T): Future<void> {
    const core = this.#core;
    return new SlotFuture<T, void>(core.channel, false, value, core.closed);
  }

  /**
   * Sends `value` if a slot is free right now: returns `true`, or `false` when the channel is
   * full (or others are already waiting for a slot). Throws `SendError` (holding `value`) when
   * the receiver or this handle is closed.
   *
   * @example
   * ```ts
   * if (!tx.trySend(sample)) dropped++; // shed load instead of waiting
   * ```
   */
  trySend(value: T): boolean {
    const ch = this.#core.open(value, "Sender.trySend(value)");
    if (!ch.hasFreeSlot()) return false;
    ch.deliver(value);
    return true;
  }

  /**
   * A future that waits for a free slot and holds it as a {@link Permit}; `permit.send(v)`
   * then sends synchronously. Fails with `SendError` (value `undefined`) if the receiver is
   * closed. Waiters are served in arrival order.
   *
   * Cancel safety: safe. Dropped while waiting, it only loses its place in line; a slot that
   * was granted but not taken is handed to the next waiter. Nothing is sent until you call
   * `permit.send`, so the message is never lost.
   *
   * Cooperative scheduling: completing without waiting spends one unit of the task's budget
   * (see [the budget](../../docs/concepts.md#the-budget)), so a loop over ready results still
   * lets others run.
   *
   * @example
   * ```ts
   * const { index, value } = yield* select(tx.reserve(), sleep(100));
   * if (index === 0) value.send(msg); // otherwise msg is still ours
   * ```
   */
  reserve(): Future<Permit<T>> {
    const core = this.#core;
    return new SlotFuture<T, Permit<T>>(core.channel, true, undefined, core.closed);
  }

  /**
   * A new sender on the same channel. The receiver sees the end of the stream only once
   * every clone is closed.
   *
   * @example
   * ```ts
   * for (let i = 0; i < 4; i++) spawn(worker(tx.clone()));
   * tx.close();
   * ```
   */
  clone(): Sender<T> {
    return new Sender(this.#core.clone());
  }

  /** How many messages the channel holds at most. */
  get maxCapacity(): number {
    return this.#core.channel.capacity;
  }
}

/**
 * The sending half of a channel made by {@link unboundedChannel}: `send` never waits.
 *
 * @example
 * ```ts
 * const [tx, rx] = unboundedChannel<LogLine>();
 * tx.send({ level: "info", text: "started" }); // synchronous
 * ```
 */
export class UnboundedSender<T> implements Disposable {
  readonly #core: SenderCore<T>;

  /** Made by {@link unboundedChannel} and `clone()`. */
  private constructor(core: SenderCore<T>) {
    this.#core = core;
  }

  /**
   * True once sending through this handle cannot succeed: the handle was closed, or the
   * receiver was closed.
   *
   * @example
   * ```ts
   * if (tx.isClosed) return; // nobody is listening any more
   * ```
   */
  get isClosed(): boolean {
    return this.#core.isClosed;
  }

  /**
   * Closes this handle (clones stay open). Once every handle is closed the receiver gets
   * `{ done: true }` after the buffered messages. Idempotent. Sends already waiting still
   * complete.
   *
   * @example
   * ```ts
   * for (const job of jobs) tx.trySend(job);
   * tx.close(); // the consumer's loop ends after the last job
   * ```
   */
  close(): void {
    this.#core.close();
  }

  /** Same as `close()`, so `using tx = …` closes it at the end of a scope. */
  [Symbol.dispose](): void {
    this.#core.close();
  }

  /**
   * Puts `value` in the channel at once. Throws `SendError` (holding `value`) when the
   * receiver or this handle is closed.
   *
   * @example
   * ```ts
   * tx.send(event);
   * ```
   */
  send(value: T): void {
    this.#core.open(value, "UnboundedSender.send(value)").deliver(value);
  }

  /**
   * Same as {@link UnboundedSender.send} but returns `true` (an unbounded channel is never
   * full); provided so code can treat both kinds of sender alike.
   *
   * @example
   * ```ts
   * tx.trySend(event); // true
   * ```
   */
  trySend(value: T): boolean {
    this.#core.open(value, "UnboundedSender.trySend(value)").deliver(value);
    return true;
  }

  /**
   * A new sender on the same channel.
   *
   * @example
   * ```ts
   * const tx2 = tx.clone();
   * ```
   */
  clone(): UnboundedSender<T> {
    return new UnboundedSender(this.#core.clone());
  }
}
